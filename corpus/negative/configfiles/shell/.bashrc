export PATH="$HOME/.local/bin:$PATH"
export DB_PASSWORD="$(pass show db/prod)"
export API_TOKEN=$API_TOKEN_FROM_VAULT
export GITHUB_TOKEN="${GITHUB_TOKEN:-}"
