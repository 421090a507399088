#!/bin/sh
# Creates the application's accounts on a fresh database server.
set -eu
mysql -u root <<SQL
CREATE USER 'orders'@'%' IDENTIFIED BY 'Ordr-Kx81';
ALTER USER 'root'@'localhost' IDENTIFIED WITH caching_sha2_password BY 'R00t-Vault7';
SQL
psql -U postgres -c "CREATE ROLE reporting WITH LOGIN ENCRYPTED PASSWORD 'rpt_Q4v9w'"
sqlcmd -S db -Q "ALTER LOGIN sa WITH PASSWORD = 'Sa-Strong#2024'"
