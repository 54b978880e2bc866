package runner

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"example.com/cirunner/internal/job"
)

func testRunner(t *testing.T) *Runner {
	t.Helper()
	cfg := Config{WorkRoot: t.TempDir()}
	cfg.setDefaults()
	return &Runner{cfg: cfg, reg: NewRegistry(), active: make(map[string]context.CancelFunc)}
}

func TestHealthOK(t *testing.T) {
	api := NewAPI(testRunner(t), "")
	rec := httptest.NewRecorder()
	api.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

func TestJobsListsNewestFirst(t *testing.T) {
	r := testRunner(t)
	r.reg.Add(&job.Job{ID: "a"})
	r.reg.Add(&job.Job{ID: "b"})
	api := NewAPI(r, "")
	rec := httptest.NewRecorder()
	api.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/jobs?limit=1", nil))
	var got []Entry
	if err := json.NewDecoder(rec.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d entries, want 1", len(got))
	}
}

func TestCancelUnknownJob(t *testing.T) {
	api := NewAPI(testRunner(t), "")
	rec := httptest.NewRecorder()
	api.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cancel/nope", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d, want 404", rec.Code)
	}
}
