package robots

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const sample = `
User-agent: *
Disallow: /private
Allow: /private/open

User-agent: politecrawler
Disallow: /nocrawl
Crawl-delay: 1.5
`

func TestParsePicksAgentGroup(t *testing.T) {
	r, err := Parse(strings.NewReader(sample), "politecrawler/1.0")
	if err != nil {
		t.Fatal(err)
	}
	if r.Allowed("/nocrawl/x") || !r.Allowed("/private") {
		t.Fatalf("agent group not applied: %+v", r)
	}
	if r.CrawlDelay != 1500*time.Millisecond {
		t.Fatalf("CrawlDelay = %s", r.CrawlDelay)
	}
	star, _ := Parse(strings.NewReader(sample), "otherbot")
	for path, want := range map[string]bool{"/": true, "/private/x": false, "/private/open/y": true} {
		if got := star.Allowed(path); got != want {
			t.Errorf("Allowed(%q) = %t, want %t", path, got, want)
		}
	}
}

func TestCacheFetchesOnce(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		fmt.Fprint(w, "User-agent: *\nDisallow: /admin\n")
	}))
	defer srv.Close()
	c := NewCache(srv.Client(), "testbot", t.TempDir(), time.Hour, nil)
	u, _ := url.Parse(srv.URL + "/admin/users")
	ok, err := c.Allowed(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Fatal("/admin allowed")
	}
	if hits != 1 || c.Fetches() != 1 {
		t.Fatalf("hits=%d fetches=%d", hits, c.Fetches())
	}
}
