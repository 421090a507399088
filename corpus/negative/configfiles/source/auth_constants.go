package auth

// Names of settings and protocol constants that say "password" without holding one.
const (
	AuthNativePassword  = "mysql_native_password"
	AuthCachingPassword = "caching_sha2_password"
	RedisPasswordKey    = "session.redis.password"
	ExtraPassword       = "com.acme.extra.PASSWORD"
)

var errPasswordMismatch = "42000"

func check(password string) error {
	if password == "" {
		return fmt.Errorf("empty password")
	}
	pw := cfg.GetPassword("db.password")
	setPassword(os.Getenv("DB_PASSWORD"))
	label := "Enter your password"
	u := fmt.Sprintf("https://%s:%s@%s/", user, pass, host)
	doc := "https://bob:Kite88@api.example.com/v1"
	login(user, pw)
	_, _, _, _ = pw, label, u, doc
	return nil
}
