// Package testutil holds helpers shared by the module's tests.
package testutil

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// WriteFile writes content under dir and returns the path.
func WriteFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// OpenFixture opens a read-only fixture closed when the test ends.
func OpenFixture(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open fixture: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// ReadFixture returns the content of a fixture file.
func ReadFixture(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err) // ok: t.Fatal runs deferred calls (runtime.Goexit)
	}
	return b
}

// StartServer starts an httptest server closed at cleanup.
func StartServer(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// MustGet fetches url and returns the body.
func MustGet(t testing.TB, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close() // ok: t.Fatalf above does not return
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return b
}

// Listen opens a loopback listener closed at cleanup.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// Context returns a context cancelled when the test ends or after d.
func Context(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// SetEnv sets an environment variable for the duration of the test.
func SetEnv(t testing.TB, key, value string) {
	t.Helper()
	prev, had := os.LookupEnv(key)
	if err := os.Setenv(key, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if had {
			os.Setenv(key, prev)
		} else {
			os.Unsetenv(key)
		}
	})
}

// CaptureLog redirects the standard logger into a buffer until cleanup.
func CaptureLog(t testing.TB) *bytes.Buffer {
	var buf bytes.Buffer
	var mu sync.Mutex
	prevFlags := log.Flags()
	log.SetOutput(&lockedWriter{mu: &mu, w: &buf})
	log.SetFlags(0)
	t.Cleanup(func() {
		log.SetOutput(os.Stderr)
		log.SetFlags(prevFlags)
	})
	return &buf
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Eventually polls cond until it holds or timeout elapses.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if cond() {
			return
		}
		select {
		case <-deadline.C:
			t.Fatalf("condition not met within %v", timeout)
		case <-tick.C:
		}
	}
}

// CheckGoroutines fails the test if goroutines leak past cleanup.
func CheckGoroutines(t testing.TB) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(time.Second)
		for time.Now().Before(deadline) {
			if runtime.NumGoroutine() <= before {
				return
			}
			time.Sleep(10 * time.Millisecond) // ok: a polling loop in a cleanup, not a deferred call
		}
		t.Errorf("goroutines leaked: before=%d after=%d", before, runtime.NumGoroutine())
	})
}

// ExpectPanic runs fn and returns the panic value, failing if there was none.
func ExpectPanic(t testing.TB, fn func()) (v any) {
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

// Case is a table-driven test case.
type Case[T any] struct {
	Name string
	In   T
}

// RunCases runs each case in a parallel subtest.
func RunCases[T any](t *testing.T, cases []Case[T], fn func(t *testing.T, in T)) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, tc.In) // ok: tc is per iteration under go1.22
		})
	}
}

// RunConcurrently runs fn n times in parallel and reports failures.
func RunConcurrently(t testing.TB, n int, fn func(i int) error) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			if err := fn(i); err != nil {
				t.Errorf("worker %d: %v", i, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// RunAll is RunConcurrently with Done deferred.
func RunAll(t testing.TB, n int, fn func(i int) error) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(i); err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
}

// Squares computes squares in parallel; each goroutine body cannot return early.
func Squares(xs []int) []int {
	out := make([]int, len(xs))
	var wg sync.WaitGroup
	wg.Add(len(xs))
	for i, x := range xs {
		go func() {
			out[i] = x * x
			wg.Done() // ok: straight-line body with no return before it
		}()
	}
	wg.Wait()
	return out
}

// Golden compares got with the golden file, rewriting it when update is set.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: mismatch\n got: %q\nwant: %q", path, got, want)
	}
}
