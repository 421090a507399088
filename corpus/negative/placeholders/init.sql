CREATE USER app WITH PASSWORD 'changeme';
CREATE USER 'reader'@'%' IDENTIFIED BY 'your-password';
ALTER USER admin WITH PASSWORD 'example_password';
