terraform {
  backend "azurerm" {
    resource_group_name  = "tfstate"
    storage_account_name = "tfstateprod01"
    container_name       = "state"
    key                  = "prod.terraform.tfstate"
    sas_token            = "sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2026-12-31T00:00:00Z&sig=OuFzTv3PWImOJMLC2UH65YIChZn0pRVjXx2QlQvQKW7%3D"
  }
}
