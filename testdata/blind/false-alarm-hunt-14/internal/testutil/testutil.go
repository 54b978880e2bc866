// Package testutil holds helpers shared by the relay's tests. Every helper
// that can fail the test must be called from the test's own goroutine.
package testutil

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// NewServer starts an httptest server for h that is closed when the test
// and all its subtests have finished.
func NewServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TempFile writes data to a new file in the test's temporary directory and
// returns its path.
func TempFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Swap sets *p to v and returns a func that restores the previous value.
// Use it as: defer testutil.Swap(&pkg.Var, v)()
func Swap[T any](p *T, v T) func() {
	old := *p
	*p = v
	return func() { *p = old }
}

// ReadFixture returns the content of testdata/fixtures/name.
func ReadFixture(t testing.TB, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "fixtures", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// LoadFixtures returns the content of every regular file in dir, by name.
func LoadFixtures(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]byte, len(entries))
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close() // HAZ defer-in-loop
		data, err := io.ReadAll(f)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out[e.Name()] = data
	}
	return out
}

// WalkFixtures calls fn with a reader for every regular file in dir. Each
// file is closed before the next one is opened.
func WalkFixtures(t testing.TB, dir string, fn func(name string, r io.Reader)) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		func() {
			f, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fn(e.Name(), f)
		}()
	}
}

// Eventually polls cond every tick until it holds, failing t after timeout.
func Eventually(t testing.TB, timeout, tick time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", timeout)
		}
		time.Sleep(tick)
	}
}

// Recv waits for a value on ch, failing t after timeout.
func Recv[T any](t testing.TB, ch <-chan T, timeout time.Duration) T {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("no value received within %s", timeout)
		var zero T
		return zero
	}
}
