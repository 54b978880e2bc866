package fanout

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestMergeCollectsEveryTarget(t *testing.T) {
	var targets []Target
	for _, name := range []string{"users", "orders", "stock"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_ = json.NewEncoder(w).Encode(map[string]string{"from": name})
		}))
		t.Cleanup(srv.Close)
		targets = append(targets, Target{Name: name, URL: srv.URL})
	}
	m := New(&http.Client{Timeout: time.Second}, targets, 2*time.Second, log.New(io.Discard, "", 0))
	merged, err := m.Merge(context.Background(), "q=1")
	if err != nil {
		t.Fatal(err)
	}
	if len(merged) != 3 {
		t.Fatalf("merged %d targets, want 3", len(merged))
	}
}

func TestServeHTTPPartialOnDeadline(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(fast.Close)

	m := New(http.DefaultClient, []Target{{"slow", slow.URL}, {"fast", fast.URL}}, 100*time.Millisecond, log.New(io.Discard, "", 0))
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/aggregate", nil))
	if rec.Header().Get("X-Partial-Response") != "1" {
		t.Fatalf("expected a partial response, got %q", rec.Body.String())
	}
}

func TestRankOrdersByScore(t *testing.T) {
	results := []result{
		{name: "a", body: json.RawMessage(`[{"id":"1","score":0.2},{"id":"2","score":0.9}]`)},
		{name: "b", body: json.RawMessage(`[{"id":"3","score":0.5}]`)},
	}
	got := rank(results, 2)
	if len(got) != 2 || got[0].ID != "2" || got[1].ID != "3" {
		t.Fatalf("rank = %+v", got)
	}
}
