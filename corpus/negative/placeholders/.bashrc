export API_KEY="your_api_key_here"
export GITHUB_TOKEN=$(cat ~/.config/tokens/github)
export DB_PASSWORD=changeme
export SECRET_KEY="secret123"
