package fixture

import (
	"net"
	"testing"
)

// The serving loop ends only when the test helper skips (Goexit): the deferred closes run then,
// but every accepted connection stays open until it happens.
func serveUntilSkipped(t *testing.T, l net.Listener) {
	defer l.Close()
	for {
		conn, err := l.Accept()
		if err != nil {
			t.Skipf("accept: %v", err)
		}
		defer conn.Close() // want `the deferred conn\.Close\(\) runs only when the loop on line 12 \(for \{\}\) ends by unwinding the goroutine \(t\.Skipf on line 15\)`
	}
}

// The same with a panic.
func serveUntilPanic(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			panic(err)
		}
		defer conn.Close() // want `runs only when the loop on line 23 \(for \{\}\) ends by unwinding the goroutine \(panic on line 26\)`
	}
}

// A loop nothing leaves: the deferred calls never run.
func serveForever(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			continue
		}
		defer conn.Close() // want `the deferred conn\.Close\(\) never runs: the loop on line 34 \(for \{\}\) has no break, return or goto leaving it`
	}
}
