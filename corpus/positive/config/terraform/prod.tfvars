region      = "eu-west-1"
db_password = "Hawthorn7"
api_token   = "tf-tok-9a8b7c6d5e"
