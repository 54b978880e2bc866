package spool

import (
	"io"
	"log"
	"testing"
)

func openTestSpool(t *testing.T) *Spool {
	t.Helper()
	s, err := Open(t.TempDir(), log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.OnRotate("shutdown", func() {})
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestAppendAndCount(t *testing.T) {
	s := openTestSpool(t)
	if err := s.AppendRotating([]string{"a", "b", "c"}); err != nil {
		t.Fatalf("AppendRotating: %v", err)
	}
	n, err := s.Count()
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	if n != 3 {
		t.Errorf("Count = %d, want 3", n)
	}
}

func TestOpenTwiceFails(t *testing.T) {
	s := openTestSpool(t)
	if _, err := Open(s.dir, log.New(io.Discard, "", 0)); err == nil {
		t.Fatal("second Open of the same directory succeeded")
	}
}
