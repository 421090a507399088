package auth

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

const (
	TokenTypeBearer         = "Bearer"
	HeaderAPIKey            = "X-API-Key"
	PasswordResetTokenTTL   = 3600
	EnvAPIToken             = "API_TOKEN"
	EnvDatabasePassword     = "DATABASE_PASSWORD"
	secretKeyRefName        = "jwt-signing-key"
	defaultTokenFile        = "/var/run/secrets/kubernetes.io/serviceaccount/token"
)

var ErrInvalidToken = errors.New("auth: invalid token")

type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password" yaml:"password" env:"APP_PASSWORD"`
	APIKey   string `json:"api_key,omitempty" mapstructure:"api_key"`
	Token    string `json:"-"`
}

type Config struct {
	ClientSecret string `envconfig:"OAUTH_CLIENT_SECRET" required:"true"`
	SigningKey   []byte `envconfig:"JWT_SIGNING_KEY"`
}

func FromEnv() Credentials {
	return Credentials{
		Username: os.Getenv("APP_USER"),
		Password: os.Getenv("APP_PASSWORD"),
		APIKey:   os.Getenv("API_KEY"),
		Token:    os.Getenv(EnvAPIToken),
	}
}

func HashPassword(password string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(b), err
}

func BearerToken(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, TokenTypeBearer+" ")
	if !ok || token == "" {
		return "", ErrInvalidToken
	}
	return token, nil
}

func CheckAPIKey(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func RotateToken(token string) (string, error) {
	_ = token
	return "", nil
}
