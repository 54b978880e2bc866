package testutil

import (
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
)

// MustPanic runs f and fails t unless f panics with a value whose text
// contains want.
func MustPanic(t testing.TB, want string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("expected a panic containing %q", want)
			return
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			t.Fatalf("panic %q does not contain %q", msg, want)
		}
	}()
	f()
}

// PanicValue runs f and returns the value it panicked with, or nil.
func PanicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// CatchPanic turns a panic in the test goroutine into a test failure with a
// stack trace. Use it as: defer testutil.CatchPanic(t)
func CatchPanic(t testing.TB) {
	if r := recover(); r != nil {
		t.Helper()
		t.Fatalf("panic: %v\n%s", r, debug.Stack())
	}
}

// NoPanic runs f and reports a panic as a test error instead of crashing the
// test binary.
func NoPanic(t testing.TB, f func()) {
	t.Helper()
	defer func() { reportPanic(t) }()
	f()
}

func reportPanic(t testing.TB) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		t.Errorf("unexpected panic: %v", r)
	}
}
