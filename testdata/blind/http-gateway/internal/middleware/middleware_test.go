package middleware

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func get(url string) (*http.Response, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	return c.Get(url)
}

func TestRateLimiterBurstThenRefill(t *testing.T) {
	now := time.Unix(1700000000, 0)
	rl := NewRateLimiter(1, 2)
	rl.now = func() time.Time { return now }

	if !rl.Allow("k") || !rl.Allow("k") {
		t.Fatal("burst of 2 should be allowed")
	}
	if rl.Allow("k") {
		t.Fatal("third request should be limited")
	}
	now = now.Add(1500 * time.Millisecond)
	if !rl.Allow("k") {
		t.Fatal("one token should have been refilled")
	}
}

func TestRecoverAnswers500(t *testing.T) {
	var logs bytes.Buffer
	h := Recover(log.New(&logs, "", 0))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Fatalf("panic value not logged: %q", logs.String())
	}
}

func TestAuthRejectsMissingToken(t *testing.T) {
	a := NewAuthenticator("gw", map[string]string{"s3cret": "ci"})
	srv := httptest.NewServer(a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok")
	})))
	defer srv.Close()

	resp, err := get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", resp.StatusCode)
	}
}

func TestLoggingRecordsStatus(t *testing.T) {
	var logs bytes.Buffer
	h := Logging(log.New(&logs, "", 0))(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := get(srv.URL + "/teapot")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "status=418") {
		t.Fatalf("access line missing status: %q", logs.String())
	}
}

func TestGuardGoRecovers(t *testing.T) {
	var logs bytes.Buffer
	done := make(chan struct{})
	g := Guard{Logger: log.New(&logs, "", 0)}
	g.Go("test", func() {
		defer close(done)
		panic("inside goroutine")
	})
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("goroutine did not finish")
	}
}
