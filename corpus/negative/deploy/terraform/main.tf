resource "random_password" "db" {
  length           = 32
  special          = true
  override_special = "!#$%&*()-_=+[]{}<>:?"
}

resource "aws_db_instance" "main" {
  identifier          = "acme-main"
  engine              = "postgres"
  username            = var.db_username
  password            = random_password.db.result
  skip_final_snapshot = false
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ username = var.db_username, password = random_password.db.result })
}

resource "github_actions_secret" "deploy_token" {
  repository      = "keytrace"
  secret_name     = "DEPLOY_TOKEN"
  plaintext_value = var.deploy_token
}

provider "vault" {
  address = "https://vault.acme.test:8200"
  token   = var.vault_token
}

data "vault_generic_secret" "stripe" {
  path = "secret/payments/stripe"
}

locals {
  stripe_key = data.vault_generic_secret.stripe.data["secret_key"]
}

resource "aws_iam_access_key" "ci" {
  user    = aws_iam_user.ci.name
  pgp_key = "keybase:acme_ops"
}

output "ci_secret" {
  value     = aws_iam_access_key.ci.encrypted_secret
  sensitive = true
}
