variable "db_username" {
  type    = string
  default = "app"
}

variable "db_password" {
  description = "Master password. Leave empty to have one generated."
  type        = string
  default     = ""
  sensitive   = true
}

variable "vault_token" {
  type      = string
  sensitive = true
}

variable "deploy_token" {
  type      = string
  sensitive = true
}

variable "api_key" {
  type      = string
  default   = null
  sensitive = true
}
