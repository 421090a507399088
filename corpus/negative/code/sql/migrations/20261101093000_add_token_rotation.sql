-- migrate:up
ALTER TABLE api_tokens ADD COLUMN rotated_from UUID REFERENCES api_tokens(id);
ALTER TABLE api_tokens ADD COLUMN secret_version INT NOT NULL DEFAULT 1;
-- migrate:down
ALTER TABLE api_tokens DROP COLUMN rotated_from;
ALTER TABLE api_tokens DROP COLUMN secret_version;
