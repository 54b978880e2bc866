package httpapi

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"example.com/registry/internal/blobstore"
	"example.com/registry/internal/cache"
	"example.com/registry/internal/index"
	"example.com/registry/internal/upstream"
)

type fakeFetcher map[string]string

func (f fakeFetcher) Fetch(ctx context.Context, path string) ([]byte, error) {
	body, ok := f[path]
	if !ok {
		return nil, &upstream.StatusError{URL: path, Code: http.StatusNotFound}
	}
	return []byte(body), nil
}

func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	store, err := blobstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	logger := log.New(io.Discard, "", 0)
	proxy := cache.New(fakeFetcher{"a/@v/v1.0.0.mod": "module a\n"}, store, cache.Options{TTL: time.Minute, Logger: logger})
	s := New(Config{
		Store:        store,
		Index:        index.New(),
		Proxy:        proxy,
		Upstream:     upstream.New("http://127.0.0.1:0", nil, time.Second, logger),
		UpstreamWait: 50 * time.Millisecond,
		Logger:       logger,
	})
	srv := httptest.NewServer(s.Routes())
	t.Cleanup(srv.Close)
	return s, srv
}

func TestParseRange(t *testing.T) {
	cases := []struct {
		h             string
		start, length int64
		ok            bool
	}{
		{"bytes=0-9", 0, 10, true},
		{"bytes=90-", 90, 10, true},
		{"bytes=-5", 95, 5, true},
		{"bytes=50-500", 50, 50, true},
		{"bytes=100-", 0, 0, false},
		{"bytes=0-1,5-6", 0, 0, false},
		{"items=0-1", 0, 0, false},
	}
	for _, tc := range cases {
		start, length, err := parseRange(tc.h, 100)
		if (err == nil) != tc.ok || start != tc.start || length != tc.length {
			t.Errorf("parseRange(%q) = %d, %d, %v", tc.h, start, length, err)
		}
	}
}

func TestParseRequires(t *testing.T) {
	gomod := "module a\n\nrequire b v1.0.0\n\nrequire (\n\tc v0.2.0 // indirect\n\td v1.1.0\n)\n"
	want := []string{"b@v1.0.0", "c@v0.2.0", "d@v1.1.0"}
	if got := parseRequires([]byte(gomod)); !slices.Equal(got, want) {
		t.Fatalf("parseRequires = %v, want %v", got, want)
	}
}

func TestBlobRange(t *testing.T) {
	s, _ := newTestServer(t)
	d, err := s.store.Put(strings.NewReader("0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/blobs/"+string(d), nil)
	req.Header.Set("Range", "bytes=2-4")
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "234" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

func TestUploadThenFetch(t *testing.T) {
	_, srv := newTestServer(t)
	start := time.Now()
	resp, _ := http.Post(srv.URL+"/blobs", "application/octet-stream", strings.NewReader("hello"))
	t.Logf("upload took %v", time.Since(start))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload status %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	get, err := srv.Client().Get(srv.URL + loc)
	if err != nil {
		t.Fatal(err)
	}
	defer get.Body.Close()
	body, err := io.ReadAll(get.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != "hello" {
		t.Fatalf("fetched %q", body)
	}
}

func TestLatestFallsBackToIndex(t *testing.T) {
	s, srv := newTestServer(t)
	s.idx.Add(index.Entry{Module: "example.com/a", Version: "v1.2.0"})
	resp, err := srv.Client().Get(srv.URL + "/latest/example.com/a")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "v1.2.0") {
		t.Fatalf("latest = %s", body)
	}
}
