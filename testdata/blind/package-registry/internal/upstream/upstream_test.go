package upstream

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newOrigin(t *testing.T, files map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestGroupCoalesces(t *testing.T) {
	g := NewGroup()
	var calls atomic.Int32
	release := make(chan struct{})
	fn := func() ([]byte, error) {
		calls.Add(1)
		<-release
		return []byte("v1.0.0"), nil
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, _, err := g.Do("mod", fn); err != nil || string(v) != "v1.0.0" {
				t.Errorf("Do = %q, %v", v, err)
			}
		}()
	}
	for g.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n < 1 || n > 8 {
		t.Fatalf("fn ran %d times", n)
	}
}

func TestGroupPanicBecomesError(t *testing.T) {
	g := NewGroup()
	_, _, err := g.Do("boom", func() ([]byte, error) { panic("bad upstream") })
	if err == nil {
		t.Fatal("panic in fn was not turned into an error")
	}
	if g.InFlight() != 0 {
		t.Fatal("panicking call left an in-flight entry")
	}
}

func TestFetchStatusError(t *testing.T) {
	srv := newOrigin(t, map[string]string{"/a/@v/list": "v1.0.0\nv1.1.0\n"})
	c := New(srv.URL, nil, time.Second, log.New(io.Discard, "", 0))
	versions, err := c.ListVersions(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 2 {
		t.Fatalf("versions = %v", versions)
	}
	_, err = c.Fetch(context.Background(), "missing/@v/list")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Fatalf("Fetch(missing) error = %v, want 404 StatusError", err)
	}
}

func TestFetchConcurrent(t *testing.T) {
	srv := newOrigin(t, map[string]string{"/m/@v/list": "v1.0.0\n"})
	c := New(srv.URL, nil, time.Second, log.New(io.Discard, "", 0))
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			b, err := c.Fetch(context.Background(), "m/@v/list")
			if err != nil {
				t.Error(err)
				return
			}
			if string(b) != "v1.0.0\n" {
				t.Errorf("fetch %d = %q", i, b)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

func TestOriginServesList(t *testing.T) {
	srv := newOrigin(t, map[string]string{"/b/@v/list": "v0.1.0\n"})
	resp, err := srv.Client().Get(srv.URL + "/b/@v/list")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
