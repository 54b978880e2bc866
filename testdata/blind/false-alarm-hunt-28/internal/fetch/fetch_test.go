package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestFirstOfSkipsBrokenMirror(t *testing.T) {
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("payload"))
	}))
	defer good.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusInternalServerError)
	}))
	defer bad.Close()

	c := New(5*time.Second, 0)
	body, err := c.FirstOf(context.Background(), []string{bad.URL, good.URL}, "/x")
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != "payload" {
		t.Fatalf("body = %q", body)
	}
}

func TestBackoffIsCapped(t *testing.T) {
	if d := backoff(20); d != 5*time.Second {
		t.Fatalf("backoff(20) = %s", d)
	}
}
