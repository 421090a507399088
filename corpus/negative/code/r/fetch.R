library(httr2)
api_key <- Sys.getenv("ACME_API_KEY")
token <- keyring::key_get("acme-api", username = Sys.getenv("USER"))
password <- askpass::askpass("Database password: ")
resp <- request("https://api.acme.test/v1/usage") |>
  req_auth_bearer_token(token) |>
  req_headers(`X-API-Key` = api_key) |>
  req_perform()
