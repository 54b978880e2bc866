package api

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type fakeBackend struct {
	name  string
	delay time.Duration
	words []string
}

func (f fakeBackend) Name() string { return f.name }

func (f fakeBackend) Search(ctx context.Context, q string) ([]Hit, error) {
	select {
	case <-time.After(f.delay):
		return []Hit{{Backend: f.name, Title: q}}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f fakeBackend) Suggest(ctx context.Context, prefix string) []string {
	select {
	case <-time.After(f.delay):
		return f.words
	case <-ctx.Done():
		return nil
	}
}

func newTestAPI(t *testing.T, backends ...SearchBackend) *API {
	t.Helper()
	a := New(Config{
		DataDir:       t.TempDir(),
		Backends:      backends,
		SearchTimeout: 50 * time.Millisecond,
		Logger:        log.New(io.Discard, "", 0),
	})
	t.Cleanup(a.Close)
	return a
}

func TestGetUserNotFound(t *testing.T) {
	a := newTestAPI(t)
	srv := httptest.NewServer(a.Routes())
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/users/nobody")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", resp.StatusCode)
	}
}

func TestSuggestSkipsSlowBackends(t *testing.T) {
	a := newTestAPI(t,
		fakeBackend{name: "fast", words: []string{"gopher", "go"}},
		fakeBackend{name: "slow", delay: time.Second, words: []string{"golang"}},
	)
	got := a.suggest(context.Background(), "go")
	if strings.Join(got, ",") != "go,gopher" {
		t.Fatalf("suggest = %v", got)
	}
}

func TestReportChecksums(t *testing.T) {
	a := newTestAPI(t)
	if err := os.WriteFile(filepath.Join(a.dataDir, "q1.json"), []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	a.reportChecksums(rec, httptest.NewRequest(http.MethodGet, "/export/checksums", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "q1.json") {
		t.Fatalf("got %d %s", rec.Code, rec.Body.String())
	}
}
