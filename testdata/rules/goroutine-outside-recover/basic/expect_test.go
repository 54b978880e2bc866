package outsiderecover

import (
	"strings"
	"testing"
)

type pipe struct{ ch chan string }

func (p *pipe) do(cmd string) {
	if cmd == "" {
		panic("protocol bug")
	}
	p.ch <- cmd
}

// The recover checks that do panicked; the goroutine feeds the mock server and is not meant to be
// protected by it.
func TestDoPanics(t *testing.T) {
	p := &pipe{ch: make(chan string, 1)}
	defer func() {
		if msg := recover(); msg == nil || !strings.Contains(msg.(string), "bug") {
			t.Fatal("should panic")
		}
	}()
	go func() {
		p.do("PING")
	}()
	p.do("")
}

// A test helper that recovers and carries on, without failing the test, protects itself: its
// goroutine's panic still crashes the test binary.
func TestKeepsGoing(t *testing.T) {
	p := &pipe{ch: make(chan string, 1)}
	defer func() {
		if r := recover(); r != nil {
			t.Log("recovered", r)
		}
	}()
	go func() { // want `TestKeepsGoing protects itself with a deferred recover \(line 36\), but the goroutine started on line 41 has no recover of its own`
		p.do("")
	}()
}
