#!/bin/sh
# Uploads with credentials from the environment; curl prompts when only a user is given.
set -eu
curl -fsS -u "$UPLOAD_USER:$UPLOAD_PASS" -T "$1" https://artifacts.corp.lan/upload/
curl -fsS -u deploy https://artifacts.corp.lan/ping
curl -fsS --user "${CI_USER}:${CI_TOKEN}" https://ci.corp.lan/api
gpg --batch --passphrase-file /run/secrets/gpg --detach-sign "$1"
pwsh -c 'ConvertTo-SecureString $env:PFX_PASS -AsPlainText -Force'
