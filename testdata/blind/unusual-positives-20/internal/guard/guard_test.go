package guard

import (
	"io"
	"log"
	"strings"
	"testing"
)

func TestProtectConvertsPanic(t *testing.T) {
	s := New("test", log.New(io.Discard, "", 0))
	err := s.Protect(func() error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Protect = %v, want panic error", err)
	}
	if got := s.Panics(); got != 1 {
		t.Errorf("Panics = %d, want 1", got)
	}
}

func TestRunEachContinuesAfterPanic(t *testing.T) {
	s := New("test", log.New(io.Discard, "", 0))
	ran := 0
	s.RunEach([]func(){
		func() { ran++; panic("first") },
		func() { ran++ },
	})
	if ran != 2 {
		t.Errorf("ran = %d, want 2", ran)
	}
}
