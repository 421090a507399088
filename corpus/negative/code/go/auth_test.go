package auth

import "testing"

func TestBearerToken(t *testing.T) {
	t.Setenv("API_TOKEN", "test-token")
	tests := []struct {
		name, header, want string
		wantErr           bool
	}{
		{"valid", "Bearer abc123", "abc123", false},
		{"missing", "", "", true},
		{"basic auth", "Basic dXNlcjpwYXNz", "", true},
	}
	for _, tt := range tests {
		_ = tt
	}
}

func TestHashPasswordRejectsEmpty(t *testing.T) {}
func TestRotateTokenRevokesOld(t *testing.T) {}
func FuzzParseAPIKey(f *testing.F) { f.Add("ak_live_") }
