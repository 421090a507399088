package pemutil

import (
	"encoding/pem"
	"errors"
	"regexp"
)

const (
	rsaPrivateHeader     = "-----BEGIN RSA PRIVATE KEY-----"
	ecPrivateHeader      = "-----BEGIN EC PRIVATE KEY-----"
	pkcs8Header          = "-----BEGIN PRIVATE KEY-----"
	opensshHeader        = "-----BEGIN OPENSSH PRIVATE KEY-----"
	pgpPrivateHeader     = "-----BEGIN PGP PRIVATE KEY BLOCK-----"
	encryptedPkcs8Header = "-----BEGIN ENCRYPTED PRIVATE KEY-----"
	puttyHeader          = "PuTTY-User-Key-File-3: ssh-ed25519"
)

var privateKeyRe = regexp.MustCompile(`-----BEGIN (RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----[\s\S]+?-----END (RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----`)

// IsPrivate reports whether a PEM block holds a private key.
func IsPrivate(b *pem.Block) bool {
	switch b.Type {
	case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY":
		return true
	}
	return false
}

var ErrNoKey = errors.New("pemutil: no -----BEGIN PRIVATE KEY----- block found")
