-- bootstrap accounts
CREATE DATABASE shop;
CREATE USER 'shop'@'%' IDENTIFIED BY 'Laurel12';
GRANT ALL PRIVILEGES ON shop.* TO 'shop'@'%';
CREATE ROLE report WITH LOGIN PASSWORD 'sq-pw-8x';
SELECT id, password FROM users WHERE id = 1;
