// Package metric mirrors the shape of a metrics API: instrument names built from words
// that happen to contain provider names (UpDown), with identifiers on both sides of a
// call. Nothing here is a credential.
package metric

type Int64UpDownCounterConfig struct{ description string }

type Float64UpDownCounter interface{ float64UpDownCounter() }

func (o descOpt) applyInt64UpDownCounter(c Int64UpDownCounterConfig) Int64UpDownCounterConfig {
	c.description = string(o)
	return c
}

// NewInt64UpDownCounterConfig returns a new Int64UpDownCounterConfig with all opts applied.
func NewInt64UpDownCounterConfig(opts ...Int64UpDownCounterOption) Int64UpDownCounterConfig {
	var config Int64UpDownCounterConfig
	for _, o := range opts {
		config = o.applyInt64UpDownCounter(config)
	}
	return config
}

// IDTokenSignedResponseAlg defaults to RS256.
func defaults(c *Client) {
	c.IDTokenSignedResponseAlg = SigningAlgRSAUsingSHA256
}
