package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	s := NewServer(time.Second, t.Logf)
	if err := s.Register("echo", func(_ context.Context, p json.RawMessage) (any, error) { return p, nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Register("boom", func(context.Context, json.RawMessage) (any, error) { panic("boom") }); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPanicBecomesInternalError(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t))
	defer srv.Close()
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"boom"}`)
	resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out Response
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Error == nil || out.Error.Code != codeInternal {
		t.Fatalf("error = %+v, want code %d", out.Error, codeInternal)
	}
}

func TestClientCall(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got string
	if err := NewClient(srv.URL, srv.Client()).Call(ctx, "echo", "hi", &got); err != nil {
		t.Fatal(err)
	}
	if got != "hi" {
		t.Fatalf("echo = %q", got)
	}
	err := NewClient(srv.URL, srv.Client()).Call(ctx, "nope", nil, nil)
	var rpcErr *Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != codeMethodNotFound {
		t.Fatalf("Call(nope) = %v, want method not found", err)
	}
}
