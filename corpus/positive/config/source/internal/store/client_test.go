package store

import "testing"

func TestConnect(t *testing.T) {
	opts := Options{
		User:     "svc-orders",
		Password: "Heron-77",
	}
	opts.Admin.Password = "Kestrel2019"
	c := Dial(fmt.Sprintf("nats://svc:Plover31@%s:%d", host, port))
	if opts.Password == "" {
		t.Fatal("no password")
	}
	_ = c
}
