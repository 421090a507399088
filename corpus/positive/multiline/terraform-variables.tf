variable "region" {
  type    = string
  default = "eu-central-1"
}

variable "rds_master_password" {
  description = "Master password for the reporting cluster"
  type        = string
  sensitive   = true
  default     = "mxWjmt!D1OtTua51tnJl"
}
