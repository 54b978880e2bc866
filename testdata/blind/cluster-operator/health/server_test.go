package health

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/operator/metrics"
)

func newTestServer(t *testing.T) (*Server, *Checker) {
	t.Helper()
	checker := NewChecker(100 * time.Millisecond)
	s := NewServer(checker, metrics.NewRegistry(), log.New(io.Discard, "", 0))
	return s, checker
}

func TestLivez(t *testing.T) {
	s, _ := newTestServer(t)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/livez", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "alive") {
		t.Fatalf("livez = %d %q", rec.Code, rec.Body.String())
	}
}

func TestCheckAllTimesOutSlowChecks(t *testing.T) {
	checker := NewChecker(20 * time.Millisecond)
	checker.Register("fast", func(context.Context) error { return nil })
	checker.Register("slow", func(ctx context.Context) error {
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond)
		return nil
	})
	failed := checker.CheckAll(context.Background())
	if _, ok := failed["slow"]; !ok {
		t.Fatalf("slow check not reported: %v", failed)
	}
	if _, ok := failed["fast"]; ok {
		t.Fatalf("fast check reported: %v", failed)
	}
}

func TestDebugChecksShowsPanics(t *testing.T) {
	s, checker := newTestServer(t)
	checker.Register("boom", func(context.Context) error { panic("boom") })
	checker.Register("db", func(context.Context) error { return errors.New("connection refused") })
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/debug/checks", nil))
	body := rec.Body.String()
	if !strings.Contains(body, "panicked: boom") || !strings.Contains(body, "connection refused") {
		t.Fatalf("unexpected body:\n%s", body)
	}
}

func TestProbeBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	body, err := ProbeBody(context.Background(), srv.Client(), srv.URL)
	if err != nil || body != "ok" {
		t.Fatalf("ProbeBody = %q, %v", body, err)
	}
}
