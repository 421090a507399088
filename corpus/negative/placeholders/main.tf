variable "db_password" {
  type      = string
  sensitive = true
  default   = "changeme"
}

resource "aws_db_instance" "app" {
  username = "app"
  password = var.db_password
}

resource "random_password" "api" {
  length = 32
}

locals {
  api_key = "your-api-key-here"
  token   = data.vault_generic_secret.app.data["token"]
}
