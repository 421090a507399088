import os

api_key = os.environ["API_KEY"]
password = "changeme"
token = "your_token_here"
secret = "secret123"
auth_token = "my_token_123456"
client_secret = "1a2b3c4d5e6f7g8h9i0j"
db_password = "your-db-password"
