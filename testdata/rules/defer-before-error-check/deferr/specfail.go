package deferr

import (
	"fmt"
	"net"
)

// Fail ends the running spec by panicking with its message, as test frameworks do.
func Fail(message string) {
	panic(message)
}

// Failf formats the message and fails the spec.
func Failf(format string, args ...any) {
	Fail(fmt.Sprintf(format, args...))
}

// specT marks failures and goes on, like testing.T's Fail.
type specT struct{ failed bool }

func (t *specT) Fail() { t.failed = true }

// The failure aborts the spec: srv is only used after a successful Listen. No finding.
func hostNetworkSpec(accept func(net.Listener)) {
	srv, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		Failf("listen: %v", err)
	}
	go accept(srv)
	defer srv.Close()
}

// Fail with a message aborts too. No finding.
func hostNetworkSpecFail(accept func(net.Listener)) {
	srv, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		Fail("listen failed")
	}
	defer srv.Close()
	accept(srv)
}

// t.Fail() only marks the failure: the way goes on to the defer with srv nil.
func hostNetworkMarked(t *specT, accept func(net.Listener)) {
	srv, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fail()
	}
	defer srv.Close() // want `srv from net\.Listen on line \d+ is used by the deferred srv\.Close\(\) before err is checked`
	accept(srv)
}
