CREATE TABLE users (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email           CITEXT NOT NULL UNIQUE,
    password_hash   VARCHAR(255) NOT NULL,
    password_salt   BYTEA,
    password_changed_at TIMESTAMPTZ,
    otp_secret_encrypted BYTEA,
    api_key_prefix  CHAR(12),
    api_key_hash    CHAR(64),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users(id),
    token_hash  BYTEA NOT NULL,
    token_type  TEXT NOT NULL CHECK (token_type IN ('access', 'refresh', 'password_reset')),
    expires_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE password_reset_tokens (token TEXT PRIMARY KEY, user_id UUID, expires_at TIMESTAMPTZ);
CREATE INDEX idx_api_tokens_user ON api_tokens(user_id);
COMMENT ON COLUMN users.password_hash IS 'argon2id PHC string, e.g. $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>';

-- seed data: ids only, no credentials
INSERT INTO users (id, email, password_hash) VALUES
    ('7afd2ce4-e8f3-4315-b8c7-35330203c699', 'user0@example.com', '!'),
    ('3ac663ea-4173-4ece-9e47-cd31ca5ff48e', 'user1@example.com', '!'),
    ('b4748ecf-1449-4a14-88e8-6a6550d1fea6', 'user2@example.com', '!'),
    ('529c29eb-f6a4-4472-8ae0-52e719d9e9c5', 'user3@example.com', '!'),
    ('fee36f53-4eca-4217-9204-eeecb8d4a60a', 'user4@example.com', '!'),
    ('abc7558d-fff9-48ba-a621-6a1dadc5ecf8', 'user5@example.com', '!'),
    ('cc37575f-af52-462a-915c-df9895c77494', 'user6@example.com', '!'),
    ('ed1752c5-7237-4275-b7ca-3a16e0ba0f72', 'user7@example.com', '!'),
    ('abca7526-935d-4240-9238-908886c96bd5', 'user8@example.com', '!'),
    ('b89ba375-20af-438f-99f5-9540aead5559', 'user9@example.com', '!'),
    ('bdebcaa0-9673-4392-8bc8-4a7a20fa35ec', 'user10@example.com', '!'),
    ('6e5d7ece-3963-4dbd-8a0f-39f2292b4f4d', 'user11@example.com', '!'),
    ('60fb671f-84ed-43ca-b191-a3ba613a5803', 'user12@example.com', '!'),
    ('bcfc430d-b075-4a00-a258-0ed7abbe4e4d', 'user13@example.com', '!'),
    ('0672fd27-c132-4025-a80f-f54defe81c62', 'user14@example.com', '!'),
    ('4089dac7-5bc7-4c6a-bff2-c1744dbbd9e0', 'user15@example.com', '!'),
    ('020cd963-78a3-48f4-b073-6d2f7567d0ac', 'user16@example.com', '!'),
    ('5e782685-2b70-4a7e-a9f7-fd566f016b7c', 'user17@example.com', '!'),
    ('3fa59bbc-7c80-4bc4-b886-eb122f11834e', 'user18@example.com', '!'),
    ('57ebe2e0-f0db-4b2d-9107-be9b8d803978', 'user19@example.com', '!');
ALTER USER app WITH PASSWORD :'app_password';
CREATE USER reporting WITH PASSWORD NULL;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;
