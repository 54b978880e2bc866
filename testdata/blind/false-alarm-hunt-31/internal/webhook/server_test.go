package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/cache"
	"example.com/fah31/internal/workqueue"
)

func newTestServer(t *testing.T, v Validator) (*httptest.Server, *workqueue.Queue) {
	t.Helper()
	store := cache.NewStore(nil)
	store.Add(&api.Object{ObjectMeta: api.ObjectMeta{Namespace: "ns", Name: "a"}})
	q := workqueue.New(workqueue.DefaultLimiter())
	t.Cleanup(q.ShutDown)
	s := NewServer(store, q, make(chan Notification, 16), v)
	srv := httptest.NewServer(s.Routes())
	t.Cleanup(srv.Close)
	return srv, q
}

func TestResyncQueuesKey(t *testing.T) {
	srv, q := newTestServer(t, nil)
	resp, err := http.Post(srv.URL+"/resync/ns/a", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status = %s", resp.Status)
	}
	if q.Len() != 1 {
		t.Fatalf("queue length = %d, want 1", q.Len())
	}
}

func TestValidateRejectsEmptyBody(t *testing.T) {
	srv, _ := newTestServer(t, func(ctx context.Context, _ *api.Object) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return errors.New("too slow")
		}
	})
	resp, err := http.Post(srv.URL+"/validate", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("empty body: status = %s, want 400", resp.Status)
	}
}
