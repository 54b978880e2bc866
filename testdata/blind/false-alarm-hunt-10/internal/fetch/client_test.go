package fetch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func newTestStore(t *testing.T) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/blobs/")
		if key == "missing" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "blob:"+key)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestGetFirstSkipsFailingMirror(t *testing.T) {
	ts := newTestStore(t)
	c := New(ts.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := c.GetFirst(ctx, []string{"http://127.0.0.1:1", ts.URL}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "blob:k1" {
		t.Fatalf("got %q", b)
	}
}

func TestStreamJoinedDeliversAll(t *testing.T) {
	ts := newTestStore(t)
	c := New(ts.URL)
	keys := []string{"a", "b", "c", "missing"}
	got := map[string]bool{}
	for r := range c.StreamJoined(context.Background(), keys) {
		got[r.Key] = r.Err == nil
	}
	if len(got) != len(keys) || got["missing"] {
		t.Fatalf("results = %v", got)
	}
}

func TestUploadBytesWithoutLimiter(t *testing.T) {
	var gotBody string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.WriteHeader(http.StatusCreated)
	}))
	defer ts.Close()
	if err := New(ts.URL).UploadBytes(context.Background(), "k", []byte("data")); err != nil {
		t.Fatal(err)
	}
	if gotBody != "data" {
		t.Fatalf("server saw %q", gotBody)
	}
}
