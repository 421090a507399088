#!/bin/sh
API_KEY="${API_KEY:-your_api_key_here}"
DB_PASSWORD="changeme"
TOKEN="$1"
SECRET=$(vault kv get -field=secret secret/app)
curl -H "Authorization: Bearer $TOKEN" https://api.example.com/
curl -u "admin:password123" http://localhost:8080/
mysql -u root -p"$DB_PASSWORD" app < dump.sql
