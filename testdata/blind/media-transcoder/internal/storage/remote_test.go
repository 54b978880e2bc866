package storage

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	origin        *httptest.Server
	originMu      sync.Mutex
	originObjects = map[string][]byte{}
)

func TestMain(m *testing.M) {
	origin = httptest.NewServer(http.HandlerFunc(fakeOrigin))
	defer origin.Close()
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

// fakeOrigin implements the subset of the origin API the client uses.
func fakeOrigin(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/objects/")
	switch r.Method {
	case http.MethodPut:
		defer r.Body.Close()
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		originMu.Lock()
		originObjects[key] = body
		originMu.Unlock()
		w.WriteHeader(http.StatusCreated)
	case http.MethodGet, http.MethodHead:
		originMu.Lock()
		body, ok := originObjects[key]
		originMu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.Method == http.MethodGet {
			_, _ = w.Write(body)
		}
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func newTestOrigin(t *testing.T) *Origin {
	t.Helper()
	o, err := NewOrigin(origin.URL, "test-token", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestPushThenFetchToFile(t *testing.T) {
	o := newTestOrigin(t)
	ctx := context.Background()
	if err := o.Push(ctx, "vod/1/720p.mp4", strings.NewReader("segment-bytes"), 13); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copy.mp4")
	n, err := o.FetchToFile(ctx, "vod/1/720p.mp4", dst)
	if err != nil {
		t.Fatal(err)
	}
	if n != 13 {
		t.Fatalf("fetched %d bytes", n)
	}
}

func TestPushGzipCompresses(t *testing.T) {
	o := newTestOrigin(t)
	if err := o.PushGzip(context.Background(), "logs/job.gz", strings.NewReader(strings.Repeat("x", 1000))); err != nil {
		t.Fatal(err)
	}
	originMu.Lock()
	body := originObjects["logs/job.gz"]
	originMu.Unlock()
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 1000 {
		t.Fatalf("round trip gave %d bytes", len(plain))
	}
}

func TestExistsMissing(t *testing.T) {
	o := newTestOrigin(t)
	ok, err := o.Exists(context.Background(), "nope")
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Fatal("missing object reported as present")
	}
}
