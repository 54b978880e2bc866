package supervise

import (
	"errors"
	"io"
	"log"
	"strings"
	"testing"
)

func newTestSupervisor() *Supervisor {
	return New(log.New(io.Discard, "", 0))
}

func TestRunConvertsPanic(t *testing.T) {
	s := newTestSupervisor()
	err := s.Run("boom", func() error { panic("kaboom") })
	if err == nil || !strings.Contains(err.Error(), "kaboom") {
		t.Fatalf("Run = %v, want panic error", err)
	}
	if s.Panics() != 1 {
		t.Fatalf("Panics = %d, want 1", s.Panics())
	}
}

func TestTryThroughMethodValue(t *testing.T) {
	s := newTestSupervisor()
	if err := s.Try("ok", func() {}); err != nil {
		t.Fatalf("Try(ok) = %v", err)
	}
	if err := s.Try("bad", func() { panic(errors.New("bad")) }); err == nil {
		t.Fatal("Try(bad) returned nil")
	}
}

func TestRunAllGuarded(t *testing.T) {
	s := newTestSupervisor()
	want := errors.New("failed")
	err := s.RunAllGuarded(map[string]func() error{
		"ok":    func() error { return nil },
		"fail":  func() error { return want },
		"panic": func() error { panic("p") },
	})
	if !errors.Is(err, want) || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("RunAllGuarded = %v", err)
	}
}

func TestGoSafeWaits(t *testing.T) {
	s := newTestSupervisor()
	done := make(chan struct{}, 2)
	s.GoSafe("a", func() { done <- struct{}{} })
	s.GoSafe("b", func() { panic("b") })
	s.Wait()
	if len(done) != 1 || s.Panics() != 1 {
		t.Fatalf("done=%d panics=%d", len(done), s.Panics())
	}
}
