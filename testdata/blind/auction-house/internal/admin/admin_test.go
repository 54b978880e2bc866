package admin

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/auction/internal/auction"
	"example.com/auction/internal/notify"
)

func newTestAdmin(t *testing.T) *Admin {
	t.Helper()
	reg := auction.NewRegistry()
	lot := auction.Lot{ID: "L1", Title: "clock", Opening: 1000, Increment: 100}
	if err := reg.Add(auction.New(lot, 0, time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	return New(reg, notify.NewHub(), nil, NewAuditor(io.Discard), log.New(io.Discard, "", 0))
}

func TestHealth(t *testing.T) {
	srv := httptest.NewServer(newTestAdmin(t).Routes())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if body["lots"] == nil {
		t.Fatalf("no lot count in %v", body)
	}
}

func TestRecoverMiddleware(t *testing.T) {
	h := recoverMiddleware(log.New(io.Discard, "", 0), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d", rec.Code)
	}
}
