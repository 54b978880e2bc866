package supervise

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"example.com/legacystyle/internal/logx"
)

func TestSafeTurnsPanicIntoError(t *testing.T) {
	s := New("t", logx.New(&bytes.Buffer{}, "", false), time.Millisecond, 1)
	err := s.Safe(func() error { panic("boom") })
	if err == nil {
		t.Fatal("expected an error")
	}
}

func TestRunGivesUp(t *testing.T) {
	s := New("t", logx.New(&bytes.Buffer{}, "", false), time.Millisecond, 2)
	calls := 0
	err := s.Run(func() error {
		calls++
		return errors.New("nope")
	}, nil)
	if err == nil || calls != 3 {
		t.Fatalf("err = %v after %d calls", err, calls)
	}
}

func TestProtectCountsCrash(t *testing.T) {
	s := New("t", logx.New(&bytes.Buffer{}, "", false), time.Millisecond, 1)
	s.Protect(func() { panic("x") })
	if s.Restarts() != 1 {
		t.Fatalf("restarts = %d", s.Restarts())
	}
}
