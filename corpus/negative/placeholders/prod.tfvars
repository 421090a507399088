db_password    = "changeme"
api_token      = "your-api-token"
client_secret  = "REPLACE_ME"
