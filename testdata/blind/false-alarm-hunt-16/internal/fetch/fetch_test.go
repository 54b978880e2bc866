package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestGetJSON(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "relay/1.4" {
			http.Error(w, "bad agent", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"sources":3}`))
	}))
	defer ts.Close()

	var got struct{ Sources int }
	c := NewClient(time.Second)
	if err := c.GetJSON(context.Background(), ts.URL, &got); err != nil {
		t.Fatal(err)
	}
	if got.Sources != 3 {
		t.Fatalf("Sources = %d", got.Sources)
	}
}

func TestPingNotFound(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(ts.Close)

	c := NewClient(time.Second)
	if _, err := c.Ping(context.Background(), ts.URL); err == nil {
		t.Fatal("Ping of a 404 succeeded")
	}
}
