-- OpenResty access phase: validate the bearer token against the introspection endpoint.
local http = require "resty.http"
local cjson = require "cjson.safe"

local secret = os.getenv("INTROSPECTION_CLIENT_SECRET")
local api_key = ngx.var.http_x_api_key
local token = (ngx.var.http_authorization or ""):match("^Bearer%s+(.+)$")
if not token then
  return ngx.exit(ngx.HTTP_UNAUTHORIZED)
end
local password_reset_ttl = 3600
