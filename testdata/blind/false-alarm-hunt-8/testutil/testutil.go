// Package testutil holds helpers shared by the tests of the other packages.
package testutil

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// WriteFile writes data to a new file in a per-test directory and returns
// its path.
func WriteFile(t testing.TB, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	return path
}

// Golden compares got with testdata/NAME.golden; with -update it rewrites
// the file instead.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s mismatch\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// Eventually polls cond every tick until it holds or timeout passes.
// t.Fatalf ends the test goroutine with runtime.Goexit, which runs the
// deferred Stops.
func Eventually(t testing.TB, timeout, tick time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	for {
		if cond() {
			return
		}
		select {
		case <-deadline.C:
			t.Fatalf("condition not met within %v", timeout)
		case <-ticker.C:
		}
	}
}

// RequirePanics fails t unless fn panics, and returns the panic value.
func RequirePanics(t testing.TB, fn func()) (v any) {
	t.Helper()
	defer func() {
		v = recover()
		if v == nil {
			t.Errorf("expected a panic")
		}
	}()
	fn()
	return nil
}

// CaptureStdout returns what fn writes to os.Stdout. The write end of the
// pipe is closed by a defer inside a func literal, so the reader sees EOF
// even if fn panics and the panic is recovered further up.
func CaptureStdout(t testing.TB, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	orig := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = orig }()

	out := make(chan string, 1)
	go func() {
		var b strings.Builder
		_, _ = io.Copy(&b, r)
		r.Close()
		out <- b.String()
	}()
	func() {
		defer w.Close()
		fn()
	}()
	return <-out
}

// Deadline returns a context deadline suitable for t: the test's own
// deadline minus a margin, or fallback when the test has none.
func Deadline(t *testing.T, fallback time.Duration) time.Time {
	if d, ok := t.Deadline(); ok {
		return d.Add(-time.Second)
	}
	return time.Now().Add(fallback)
}
