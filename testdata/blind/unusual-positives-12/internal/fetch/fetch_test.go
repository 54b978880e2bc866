package fetch

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

func newTestFetcher() *Fetcher {
	return New(nil, time.Second, log.New(io.Discard, "", 0))
}

func TestFetchFirst(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "body")
	}))
	defer ok.Close()
	bad := httptest.NewServer(http.NotFoundHandler())
	defer bad.Close()
	f := newTestFetcher()
	body, err := f.FetchFirst(context.Background(), "/x", []string{bad.URL, ok.URL})
	if err != nil || string(body) != "body" {
		t.Fatalf("FetchFirst = %q, %v", body, err)
	}
}

func TestGatherAll(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.URL.Path)
	}))
	defer srv.Close()
	f := newTestFetcher()
	urls := []string{srv.URL + "/a", srv.URL + "/b", srv.URL + "/c"}
	got := f.GatherAll(context.Background(), urls)
	if len(got) != len(urls) {
		t.Fatalf("GatherAll returned %d bodies, want %d", len(got), len(urls))
	}
}

func TestExtractLinks(t *testing.T) {
	links := extractLinks([]byte(`<a href="/x">x</a> <a href="/y">`))
	if len(links) != 2 || links[0] != "/x" || links[1] != "/y" {
		t.Fatalf("extractLinks = %v", links)
	}
}
