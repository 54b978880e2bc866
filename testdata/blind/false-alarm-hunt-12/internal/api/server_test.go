package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/fah12/internal/store"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	st, err := store.Open(t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(collector.Close)
	ts := httptest.NewServer(NewServer(st, NewAuditClient(collector.URL), slog.New(slog.DiscardHandler)).Routes())
	t.Cleanup(ts.Close)
	return ts
}

func TestPutThenGet(t *testing.T) {
	ts := newTestServer(t)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, ts.URL+"/records/r1", strings.NewReader(`{"owner":"ann"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("put: %s", resp.Status)
	}
	rec, err := NewClient(ts.URL).Get(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Owner != "ann" {
		t.Fatalf("owner = %q", rec.Owner)
	}
}

func TestGetMissing(t *testing.T) {
	ts := newTestServer(t)
	_, err := NewClient(ts.URL).Get(t.Context(), "nope")
	if err == nil {
		t.Fatal("want error for missing record")
	}
}
