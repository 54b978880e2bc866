package middleware

import (
	"bytes"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestRecoveryWrites500(t *testing.T) {
	var logs bytes.Buffer
	h := Recovery(log.New(&logs, "", 0))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Fatalf("panic not logged: %q", logs.String())
	}
}

func TestPanicReporterCountsAndHooks(t *testing.T) {
	var hooked []string
	p := &PanicReporter{
		Logger:  log.New(&bytes.Buffer{}, "", 0),
		OnPanic: func(r *http.Request, v any) { hooked = append(hooked, r.URL.Path) },
	}
	h := p.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("nil map") }))
	for _, path := range []string{"/a", "/b"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	if p.Count() != 2 || len(hooked) != 2 {
		t.Fatalf("count=%d hooked=%v", p.Count(), hooked)
	}
}

func TestMaxInFlightRejects(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	h := MaxInFlight(1)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(unblock) // runs before srv.Close, which waits for handlers

	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-entered

	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("second request: %d, want 503", resp.StatusCode)
	}
	unblock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestTrackerForgetsFinishedRequests(t *testing.T) {
	tr := NewTracker()
	h := tr.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tr.Len() != 1 {
			t.Errorf("in flight = %d inside handler, want 1", tr.Len())
		}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if tr.Len() != 0 {
		t.Fatalf("in flight = %d after return, want 0", tr.Len())
	}
}
