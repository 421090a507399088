CREATE TABLE users (id serial primary key, password text not null);
INSERT INTO users (password) VALUES (crypt('x', gen_salt('bf')));
SELECT password FROM users WHERE id = 1;
CREATE USER app IDENTIFIED BY '${APP_DB_PASSWORD}';
ALTER USER app WITH PASSWORD :'app_password';
