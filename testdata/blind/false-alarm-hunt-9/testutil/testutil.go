// Package testutil holds small helpers shared by the libraries' tests.
package testutil

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TempFile writes content to a file in a per-test directory and returns its path.
func TempFile(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	return path
}

// Context returns a context cancelled when the test ends or after five seconds.
func Context(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Eventually polls cond until it holds or timeout elapses.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(timeout/50 + time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("condition not met within %v", timeout)
			return
		case <-tick.C:
		}
	}
}

// NoLeak records the goroutine count and returns a check to run at the end
// of the test: defer testutil.NoLeak(t)().
func NoLeak(t testing.TB) func() {
	t.Helper()
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		Eventually(t, time.Second, func() bool { return runtime.NumGoroutine() <= before })
	}
}

// Recv receives one value from ch or fails the test after timeout.
func Recv[T any](t testing.TB, ch <-chan T, timeout time.Duration) T {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("nothing received within %v", timeout)
		var zero T
		return zero
	}
}

// MustClose closes c and fails the test on error.
func MustClose(t testing.TB, c io.Closer) {
	t.Helper()
	if err := c.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}
