package publish

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func testUploader(srv *httptest.Server) *Uploader {
	return &Uploader{
		client:      srv.Client(),
		base:        srv.URL,
		token:       "test-token",
		concurrency: 2,
		log:         log.New(io.Discard, "", 0),
	}
}

func TestUploadFile(t *testing.T) {
	var mu sync.Mutex
	got := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer test-token" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.URL.Path] = string(body)
		mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{"url": "https://dl.example.com" + r.URL.Path})
	}))
	defer srv.Close()

	p := filepath.Join(t.TempDir(), "relcli.tar.gz")
	if err := os.WriteFile(p, []byte("payload"), 0o644); err != nil {
		t.Fatal(err)
	}
	u := testUploader(srv)
	url, err := u.UploadFile(context.Background(), p, "relcli.tar.gz")
	if err != nil {
		t.Fatalf("UploadFile: %v", err)
	}
	if !strings.HasSuffix(url, "/objects/relcli.tar.gz") {
		t.Errorf("url = %q", url)
	}
	if got["/objects/relcli.tar.gz"] != "payload" {
		t.Errorf("server got %q", got)
	}
}

func TestDoReturnsStatusError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "quota exceeded", http.StatusForbidden)
	}))
	defer srv.Close()

	u := testUploader(srv)
	req, err := u.newRequest(context.Background(), http.MethodGet, srv.URL+"/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = u.do(req)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusForbidden {
		t.Fatalf("do() error = %v, want 403 StatusError", err)
	}
}

func TestPingTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	u := testUploader(srv)
	start := time.Now()
	if err := u.Ping(context.Background(), 50*time.Millisecond); err == nil {
		t.Fatal("Ping succeeded against a hanging server")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Ping took %s", d)
	}
}

func TestHuman(t *testing.T) {
	for in, want := range map[int64]string{512: "512 B", 2048: "2.0 KiB", 3 << 20: "3.0 MiB"} {
		if got := human(in); got != want {
			t.Errorf("human(%d) = %q, want %q", in, got, want)
		}
	}
}
