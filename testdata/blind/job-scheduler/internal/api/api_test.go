package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"example.com/jobscheduler/internal/history"
	"example.com/jobscheduler/internal/job"
	"example.com/jobscheduler/internal/runner"
	"example.com/jobscheduler/internal/scheduler"
)

type nopReporter struct{}

func (nopReporter) Report(job.Result) {}

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hist, err := history.Open(t.TempDir(), log)
	if err != nil {
		t.Fatal(err)
	}
	sched := scheduler.New(context.Background(), scheduler.Config{
		Node:    "test",
		Runner:  runner.New(log, nopReporter{}),
		History: hist,
		Log:     log,
	})
	err = sched.Add(&job.Job{ID: "report", Spec: "0 6 * * *", Run: func(context.Context) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(sched, hist, log))
	t.Cleanup(srv.Close)
	return srv
}

func TestListJobs(t *testing.T) {
	srv := newTestServer(t)
	resp, err := http.Get(srv.URL + "/jobs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	var jobs []jobView
	if err := json.NewDecoder(resp.Body).Decode(&jobs); err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].ID != "report" {
		t.Fatalf("jobs = %+v", jobs)
	}
}

func TestUnknownJob(t *testing.T) {
	srv := newTestServer(t)
	for _, path := range []string{"/jobs/nope", "/jobs/nope/pause"} {
		method := http.MethodGet
		if path == "/jobs/nope/pause" {
			method = http.MethodPost
		}
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: status %s", method, path, resp.Status)
		}
	}
}
