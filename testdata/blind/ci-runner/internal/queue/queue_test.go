package queue

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/cirunner/internal/job"
)

func testJob(id string) *job.Job {
	return &job.Job{ID: id, Repo: "https://example.com/r.git", Steps: []job.Step{{Name: "t", Command: []string{"true"}}}}
}

func TestMemQueuePushNextAck(t *testing.T) {
	q := NewMemQueue()
	t.Cleanup(q.Close)
	if err := q.Push(testJob("a")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	j, err := q.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	if j.ID != "a" {
		t.Fatalf("got job %q, want a", j.ID)
	}
	if err := q.Ack(ctx, "a", job.Succeeded); err != nil {
		t.Fatal(err)
	}
	if st, ok := q.Status("a"); !ok || st != job.Succeeded {
		t.Fatalf("status = %q, %v", st, ok)
	}
}

func TestMemQueueNextHonoursContext(t *testing.T) {
	q := NewMemQueue()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := q.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next on empty queue: %v", err)
	}
}

func TestClientNextNoContent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/jobs/next") {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	c, err := NewClient(srv.URL, "r1", "tok")
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Next(context.Background())
	if err != nil || j != nil {
		t.Fatalf("Next = %v, %v; want nil, nil", j, err)
	}
}
