package safe

import (
	"bytes"
	"errors"
	"log"
	"strings"
	"sync"
	"testing"
)

func newTestSupervisor(t *testing.T) (*Supervisor, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	return New(log.New(&buf, "", 0)), &buf
}

func TestDoConvertsPanic(t *testing.T) {
	s, buf := newTestSupervisor(t)
	err := s.Do("boom", func() error { panic("kaboom") })
	if err == nil || !strings.Contains(err.Error(), "kaboom") {
		t.Fatalf("Do = %v", err)
	}
	if s.Panics() != 1 || !strings.Contains(buf.String(), "task boom panicked") {
		t.Fatalf("panic not recorded: %d %q", s.Panics(), buf.String())
	}
}

func TestRunPassesErrors(t *testing.T) {
	s, _ := newTestSupervisor(t)
	want := errors.New("plain")
	if err := Run(s, "plain", func() error { return want }); !errors.Is(err, want) {
		t.Fatalf("Run = %v", err)
	}
}

func TestProtectAndGo(t *testing.T) {
	s, _ := newTestSupervisor(t)
	s.Protect("p", func() { panic("x") })()
	var wg sync.WaitGroup
	s.Go("g", func() { panic("y") }, &wg)
	wg.Wait()
	if s.Panics() != 2 {
		t.Fatalf("Panics = %d", s.Panics())
	}
}

func TestFanSafe(t *testing.T) {
	s, _ := newTestSupervisor(t)
	err := s.FanSafe("fan", []string{"a", "b"}, func(it string) error {
		if it == "b" {
			panic("bad item")
		}
		return nil
	})
	if err == nil {
		t.Fatal("FanSafe lost the panic")
	}
}
