DSN_TEMPLATE = "postgresql://%(user)s:%(password)s@%(host)s:%(port)d/%(dbname)s"
DSN_FMT = "postgresql://{user}:{password}@{host}/{db}"
MONGO = f"mongodb://{user}:{password}@{host}:27017"  # noqa: F821 (illustrative)

QUERY = "SELECT id FROM users WHERE email = %s AND password_hash = crypt(%s, password_hash)"
INSERT = "INSERT INTO api_tokens (user_id, token_hash, expires_at) VALUES (%(uid)s, %(token_hash)s, now() + interval '30 days')"


def dsn(cfg):
    return DSN_TEMPLATE % {"user": cfg.user, "password": cfg.password, "host": cfg.host, "port": 5432, "dbname": cfg.db}
