package health

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"example.com/fah26/internal/backend"
)

type fakeProber struct {
	calls atomic.Int32
	fail  map[string]bool
}

func (f *fakeProber) Probe(ctx context.Context, b *backend.Backend) error {
	f.calls.Add(1)
	if f.fail[b.Name] {
		return errors.New("refused")
	}
	return ctx.Err()
}

func TestHTTPProber(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()

	b := backend.New("web", strings.TrimPrefix(srv.URL, "http://"), 0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := (HTTPProber{Client: srv.Client(), Path: "/healthz"}).Probe(ctx, b); err != nil {
		t.Fatalf("Probe: %v", err)
	}
}

func TestCheckerMarksDown(t *testing.T) {
	a, b := backend.New("a", "127.0.0.1:1", 0), backend.New("b", "127.0.0.1:2", 0)
	pool, err := backend.NewPool(a, b)
	if err != nil {
		t.Fatal(err)
	}
	fp := &fakeProber{fail: map[string]bool{"b": true}}
	c := NewChecker(pool, fp, 10*time.Millisecond, 5*time.Millisecond, 1, log.New(io.Discard, "", 0))
	downs := make(chan string, 4)
	c.OnDown = func(name string, _ error) {
		select {
		case downs <- name:
		default:
		}
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	select {
	case name := <-downs:
		if name != "b" {
			t.Fatalf("OnDown(%q), want b", name)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("b never marked down")
	}
	if !a.Healthy() || b.Healthy() {
		t.Fatalf("a healthy=%v b healthy=%v", a.Healthy(), b.Healthy())
	}
}

func TestStopIsIdempotent(t *testing.T) {
	pool, _ := backend.NewPool()
	c := NewChecker(pool, &fakeProber{}, time.Hour, time.Second, 1, nil)
	c.Stop()
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.Stop()
	c.Stop()
}

func TestCollect(t *testing.T) {
	pool, _ := backend.NewPool(backend.New("a", "x:1", 0), backend.New("b", "x:2", 0))
	c := NewChecker(pool, &fakeProber{fail: map[string]bool{"a": true}}, time.Hour, time.Second, 1, nil)
	rs := c.Collect(context.Background())
	if len(rs) != 2 {
		t.Fatalf("got %d results", len(rs))
	}
}
