#!/usr/bin/env bash
set -euo pipefail
: "${DEPLOY_TOKEN:?DEPLOY_TOKEN must be set}"
read -rsp "Vault password: " VAULT_PASSWORD; echo
export PGPASSWORD="$(vault kv get -field=password secret/app/db)"
API_KEY=$(aws secretsmanager get-secret-value --secret-id prod/api-key --query SecretString --output text)
TOKEN="$(gcloud auth print-access-token)"
docker login -u "$REGISTRY_USER" --password-stdin registry.acme.test <<< "$REGISTRY_PASSWORD"
curl -fsS -H "Authorization: Bearer ${TOKEN}" -H "X-API-Key: ${API_KEY}" https://api.acme.test/deploy
kubectl create secret generic api --from-literal=token="$DEPLOY_TOKEN" --dry-run=client -o yaml | kubeseal > sealed.yaml
openssl rand -hex 32 > /run/secrets/session_secret
ssh-keygen -t ed25519 -N "" -f ./id_deploy -C "deploy@$(hostname)"
echo "password=${DB_PASSWORD:-}" >> "$GITHUB_OUTPUT"
mysql -u root -p"$MYSQL_ROOT_PASSWORD" -e "select 1"
