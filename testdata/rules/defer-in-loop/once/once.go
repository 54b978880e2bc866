// Defers in loops that run at most once per call are not findings; look-alikes that can run on
// every iteration are.
package once

import (
	"errors"
	"net"
	"os"
	"sync"
)

// Every path after the defer returns: it runs once.
func firstMatch(paths []string, want string) ([]byte, error) {
	for _, p := range paths {
		if p != want {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		buf := make([]byte, 16)
		n, err := f.Read(buf)
		return buf[:n], err
	}
	return nil, errors.New("not found")
}

// Every path after the defer leaves the loop (break): it runs once.
func lockFirst(mus []*sync.Mutex) int {
	n := 0
	for i, mu := range mus {
		if mu != nil {
			mu.Lock()
			defer mu.Unlock()
			n = i
			break
		}
	}
	return n
}

// Both branches after the defer return, in an endless retry loop.
func retry(dial func() (net.Conn, error), ready chan struct{}) (net.Conn, error) {
	for {
		c, err := dial()
		if err == nil {
			defer close(ready)
			if c == nil {
				return nil, errors.New("no connection")
			} else {
				return c, nil
			}
		}
	}
}

// A nil guard that the guarded block closes before the defer.
func lazyScratch(items []int) int {
	var scratch *os.File
	total := 0
	for _, it := range items {
		if it < 0 {
			continue
		}
		if scratch == nil {
			f, err := os.CreateTemp("", "scratch")
			if err != nil {
				return -1
			}
			scratch = f
			defer os.Remove(scratch.Name())
		}
		total += it
	}
	return total
}

// A guard closed by a multi-value assignment.
func lazyConn(addrs []string) error {
	var conn net.Conn
	var err error
	for _, a := range addrs {
		if conn == nil {
			conn, err = net.Dial("tcp", a)
			if err != nil {
				return err
			}
			defer conn.Close()
		}
		if _, err := conn.Write([]byte(a)); err != nil {
			return err
		}
	}
	return nil
}

// A boolean guard on a field.
type runner struct {
	started bool
	mu      sync.Mutex
}

func (r *runner) each(steps []func()) {
	for _, s := range steps {
		if !r.started {
			r.started = true
			r.mu.Lock()
			defer r.mu.Unlock()
		}
		s()
	}
}

// A once-flag set after the defer, with no way round it: the lock is taken once.
func lockOnce(mu *sync.Mutex, steps []func() bool) {
	held := false
	for _, s := range steps {
		if !held {
			mu.Lock()
			defer mu.Unlock()
			held = true
		}
		if !s() {
			return
		}
	}
}

// The guard is set back to nil later in the loop: the defer can run again.
func reopened(items []int) {
	var f *os.File
	for range items {
		if f == nil {
			f, _ = os.CreateTemp("", "x")
			defer f.Close() // want `^temporary file f from os\.CreateTemp on line 136 stays open until reopened returns`
		}
		f = nil
	}
}

// The guard's variable is declared in the loop: every iteration starts with it nil.
func fresh(items []int) {
	for range items {
		var f *os.File
		if f == nil {
			f, _ = os.CreateTemp("", "x")
			defer f.Close() // want `^temporary file f from os\.CreateTemp on line 148 stays open until fresh returns`
		}
	}
}

// The guard is closed after the defer, and a continue can skip that.
func skipped(items []int) {
	done := false
	for _, it := range items {
		if !done {
			defer println("once?") // want `the deferred println\("once\?"\) runs only when skipped returns`
			if it == 0 {
				continue
			}
			done = true
		}
	}
}

// A path after the defer goes round the loop again.
func sometimes(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // want `file f from os\.Open on line 171 stays open until sometimes returns`
		if len(p) > 3 {
			return nil
		}
	}
	return nil
}

type session struct {
	handled bool
	conn    net.Conn
}

// An early exit guards the defer: once conn is set, every later request takes the continue.
func (s *session) serveRequests(addrs []string) error {
	for _, a := range addrs {
		if s.handled || s.conn != nil {
			continue
		}
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		s.conn = c
		defer c.Close()
	}
	return nil
}

// The early exit tests conn, but the loop never sets it: every address dials and defers.
func (s *session) serveRequestsUnguarded(addrs []string) error {
	for _, a := range addrs {
		if s.handled || s.conn != nil {
			continue
		}
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close() // want `connection c from net.Dial on line \d+ stays open`
	}
	return nil
}

// The early exit is a flag set only on another path: the defer can run on every iteration.
func dialAllUntilDone(addrs []string) error {
	done := false
	for _, a := range addrs {
		if done {
			break
		}
		c, err := net.Dial("tcp", a)
		if err != nil {
			done = true
			continue
		}
		defer c.Close() // want `connection c from net.Dial on line \d+ stays open`
	}
	return nil
}

// The flag closes the early exit on the path through the defer.
func dialFirst(addrs []string) error {
	done := false
	for _, a := range addrs {
		if done {
			continue
		}
		c, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		defer c.Close()
		done = true
	}
	return nil
}
