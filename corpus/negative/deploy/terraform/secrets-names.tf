# Variables that hold the *names* or ARNs of secrets, not the secrets themselves.
variable "api_key_secret_name" {
  description = "Name of the Secrets Manager secret that stores the API key"
  type        = string
  default     = "prod/payments/api-key"
}

variable "db_password_ssm_parameter" {
  type    = string
  default = "/acme/prod/db/password"
}

variable "jwt_secret_arn" {
  type    = string
  default = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/jwt-signing-AbC123"
}

variable "token_rotation_schedule" {
  type    = string
  default = "rate(30 days)"
}

variable "github_token_secret_id" {
  type    = string
  default = "projects/acme-prod/secrets/github-token"
}

variable "private_key_path" {
  type    = string
  default = "~/.ssh/terraform_ed25519"
}

variable "credentials_file" {
  type    = string
  default = "/var/lib/terraform/gcp-credentials.json"
}

data "aws_secretsmanager_secret_version" "api_key" {
  secret_id = var.api_key_secret_name
}

provider "github" {
  owner = "acme"
  app_auth {
    id              = var.github_app_id
    installation_id = var.github_app_installation_id
    pem_file        = file(var.private_key_path)
  }
}

provider "google" {
  project     = "acme-prod"
  credentials = file(var.credentials_file)
}

terraform {
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "prod/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
    kms_key_id     = "alias/terraform-state"
  }
}

resource "aws_db_instance" "replica" {
  identifier                  = "acme-replica"
  manage_master_user_password = true
  master_user_secret_kms_key_id = "alias/rds-master"
}
