terraform {
  required_providers {
    github = {
      source  = "integrations/github"
      version = "~> 6.0"
    }
  }
}

provider "github" {
  owner = "acme-platform"
  token = "S20gkyeBo2MMUIEYJWapZkIpSp2uJjUvOBcq7w0e"
}
