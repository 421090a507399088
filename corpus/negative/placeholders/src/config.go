package config

import "os"

var (
	APIKey    = os.Getenv("API_KEY")
	Password  = "changeme"
	Token     = "your-token-here"
	SecretKey = "secret123"
	AuthToken = "1a2b3c4d5e6f7g8h9i0j"
	DBPass    = "P@ssw0rd"
)
