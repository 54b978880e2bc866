package httpapi_test

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"example.com/fah11/internal/httpapi"
	"example.com/fah11/internal/kv"
)

var backend *httptest.Server

func TestMain(m *testing.M) {
	store := kv.New(4)
	audit := make(chan httpapi.AuditEntry, 1024)
	api := httpapi.NewAPI(store, nil, audit, nil, log.New(io.Discard, "", 0))
	backend = httptest.NewServer(api.Routes())
	defer backend.Close()

	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func TestRecoverWrites500(t *testing.T) {
	h := httpapi.Recover(log.New(io.Discard, "", 0), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
}

func TestRecoverReraisesAbort(t *testing.T) {
	h := httpapi.Recover(log.New(io.Discard, "", 0), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", r)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	t.Fatal("ServeHTTP returned normally")
}

func TestClientRoundTrip(t *testing.T) {
	c := httpapi.NewClient(backend.URL, 0)
	ctx := context.Background()
	if _, err := c.Put(ctx, "greeting", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, "greeting")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "hello" {
		t.Fatalf("Get = %q", got)
	}
	if err := c.Delete(ctx, "greeting"); err != nil {
		t.Fatal(err)
	}
}
