package httpapi

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/fah10/internal/catalog"
)

func newTestServer(t *testing.T) (*httptest.Server, *catalog.Catalog) {
	t.Helper()
	cat := catalog.New(nil)
	s := NewServer(Config{
		Catalog: cat,
		BlobDir: t.TempDir(),
		Logger:  log.New(io.Discard, "", 0),
	})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, cat
}

func TestPutThenList(t *testing.T) {
	ts, cat := newTestServer(t)
	req, err := http.NewRequest(http.MethodPut, ts.URL+"/blobs/a", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("PUT status %d", resp.StatusCode)
	}

	resp, err = http.Get(ts.URL + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var keys []string
	if err := json.NewDecoder(resp.Body).Decode(&keys); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != "a" || cat.Len() != 1 {
		t.Fatalf("keys = %v", keys)
	}
}

func TestRecoverMiddleware(t *testing.T) {
	h := recoverMiddleware(log.New(io.Discard, "", 0), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("handler bug")
	}))
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/", nil))
	if rr.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d", rr.Code)
	}
}

func TestTokenRefresh(t *testing.T) {
	ts := NewTokenStore()
	tok, err := ts.Issue("ci", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !ts.Refresh(tok, time.Hour) {
		t.Fatal("refresh of a fresh token failed")
	}
	if sub, ok := ts.Lookup(tok); !ok || sub != "ci" {
		t.Fatalf("Lookup = %q %v", sub, ok)
	}
	ts.Revoke(tok)
	if _, ok := ts.Lookup(tok); ok {
		t.Fatal("revoked token still valid")
	}
}
