package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestFetchFirstTruncatesBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(strings.Repeat("a", 100)))
	}))
	defer srv.Close()
	f := NewFetcher(srv.Client(), Options{UserAgent: "test", MaxBody: 10}, nil, nil)
	good, _ := url.Parse(srv.URL + "/page")
	bad, _ := url.Parse("ftp://example.invalid/")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p, err := f.FetchFirst(ctx, []*url.URL{bad, good})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Body) != 10 || !p.Truncated {
		t.Fatalf("body %d bytes, truncated=%t", len(p.Body), p.Truncated)
	}
}
