package upstream

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func newTestClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return NewClient(ts.URL, 2*time.Second, log.New(io.Discard, "", 0))
}

func TestFanoutCollectsEveryPath(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "body of %s", r.URL.Path)
	}))
	paths := []string{"/a", "/b", "/c"}
	res := c.Fanout(context.Background(), paths)
	if len(res) != len(paths) {
		t.Fatalf("got %d results", len(res))
	}
	for _, r := range res {
		if r.Err != nil || string(r.Body) != "body of "+r.Path {
			t.Fatalf("%s: %q, %v", r.Path, r.Body, r.Err)
		}
	}
}

func TestPagesFollowsNextLinks(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/list":
			io.WriteString(w, `{"items":[1,2],"next":"/list/2"}`)
		case "/list/2":
			io.WriteString(w, `{"items":[3],"next":""}`)
		default:
			http.NotFound(w, r)
		}
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n := 0
	for pg := range c.Pages(ctx, "/list") {
		if pg.Err != nil {
			t.Fatal(pg.Err)
		}
		n += len(pg.Items)
	}
	if n != 3 {
		t.Fatalf("got %d items, want 3", n)
	}
}
