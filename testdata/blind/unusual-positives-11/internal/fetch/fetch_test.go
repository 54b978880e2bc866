package fetch

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

type item struct {
	Key string `json:"key"`
}

func upstream(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/items/missing" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(item{Key: r.URL.Path})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchStatus(t *testing.T) {
	c := NewClient(upstream(t).URL, JSON[item]())
	_, err := c.Fetch(context.Background(), "/items/missing")
	if got := statusFor(err); got != http.StatusNotFound {
		t.Fatalf("status = %d (err %v)", got, err)
	}
}

func TestFirstAndQuorum(t *testing.T) {
	base := upstream(t).URL
	backends := []*Client[item]{NewClient(base, JSON[item]()), NewClient(base, JSON[item]())}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := First(ctx, backends, "/items/a")
	if err != nil || v.Key != "/items/a" {
		t.Fatalf("First = %+v, %v", v, err)
	}
	got, err := Quorum(ctx, backends, "/items/b", 2)
	if err != nil || len(got) != 2 {
		t.Fatalf("Quorum = %v, %v", got, err)
	}
}

func TestServeCached(t *testing.T) {
	client := NewClient(upstream(t).URL, JSON[item]())
	s := NewServer(client, log.New(io.Discard, "", 0), WithBudget[item](time.Second))
	mux := http.NewServeMux()
	s.Routes(mux)
	for range 2 {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cached/k", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("code = %d body = %s", rec.Code, rec.Body)
		}
	}
}
