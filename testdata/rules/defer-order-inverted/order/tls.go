package order

import (
	"crypto/tls"
	"io"
	"net"
)

// The raw connection is closed first: tc.Close's close_notify alert goes nowhere.
func probe(addr string, cfg *tls.Config) error {
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	tc := tls.Client(raw, cfg)
	defer tc.Close()
	defer raw.Close() // want `the deferred raw\.Close\(\) runs before the deferred tc\.Close\(\) registered on line \d+`
	_, err = io.WriteString(tc, "PING\r\n")
	return err
}

// ---- not flagged ----

// Closing the TLS connection closes the raw one too.
func probeClean(addr string, cfg *tls.Config) error {
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer raw.Close()
	tc := tls.Client(raw, cfg)
	defer tc.Close()
	_, err = io.WriteString(tc, "PING\r\n")
	return err
}
