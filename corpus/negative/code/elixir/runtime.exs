import Config

if config_env() == :prod do
  config :acme, Acme.Repo,
    url: System.fetch_env!("DATABASE_URL"),
    password: System.fetch_env!("DATABASE_PASSWORD"),
    pool_size: String.to_integer(System.get_env("POOL_SIZE") || "10")

  config :acme, AcmeWeb.Endpoint,
    secret_key_base: System.fetch_env!("SECRET_KEY_BASE"),
    live_view: [signing_salt: System.fetch_env!("LIVE_VIEW_SIGNING_SALT")]

  config :acme, :stripe, api_key: System.get_env("STRIPE_SECRET_KEY")
  config :joken, default_signer: System.fetch_env!("JWT_SECRET")
end
