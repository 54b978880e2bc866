package health

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestCheckUnknownService(t *testing.T) {
	s := NewServer()
	if _, err := s.check(context.Background(), &CheckRequest{Service: "nope"}); err == nil {
		t.Fatal("want error for unknown service")
	}
}

func TestShutdownMarksNotServing(t *testing.T) {
	s := NewServer()
	s.SetServingStatus("greeter", Serving)
	s.Shutdown()
	s.SetServingStatus("greeter", Serving)
	if st, _ := s.Status("greeter"); st != NotServing {
		t.Fatalf("status %v after shutdown", st)
	}
}

func TestHealthzEndpoint(t *testing.T) {
	s := NewServer()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
}

func TestHTTPCheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	if err := HTTPCheck(srv.Client(), srv.URL)(context.Background()); err == nil {
		t.Fatal("want error for 503")
	}
}

func TestPingAll(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if _, err := bufio.NewReader(conn).ReadString('\n'); err == nil {
					_, _ = io.WriteString(conn, "PONG\n")
				}
			}()
		}
	}()
	res := PingAll(context.Background(), []string{ln.Addr().String()}, time.Second)
	if err := res[ln.Addr().String()]; err != nil {
		t.Fatal(err)
	}
}

func TestCheckerPublishes(t *testing.T) {
	hs := NewServer()
	c := NewChecker(hs, time.Hour, time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c.record("db", errors.New("down"))
	c.publish()
	if st, _ := hs.Status(""); st != NotServing {
		t.Fatalf("status %v", st)
	}
}
