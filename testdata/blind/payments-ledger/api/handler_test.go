package api

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/payments/idempotency"
	"example.com/payments/ledger"
	"example.com/payments/store"
)

func newTestHandler() *Handler {
	logger := log.New(io.Discard, "", 0)
	l := ledger.New(store.NewMemStore(), logger)
	return NewHandler(l, idempotency.New(time.Minute, 100), logger, "http://127.0.0.1:1/audit")
}

func TestPostEntryIsIdempotent(t *testing.T) {
	h := newTestHandler().Routes()
	body := `{"id":"e1","postings":[{"account":"a","amount":-100,"currency":"EUR"},{"account":"b","amount":100,"currency":"EUR"}]}`
	var statuses []int
	for i := 0; i < 2; i++ {
		req := httptest.NewRequest(http.MethodPost, "/v1/entries", strings.NewReader(body))
		req.Header.Set("Idempotency-Key", "k1")
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		statuses = append(statuses, rr.Code)
		if i == 1 && rr.Header().Get("Idempotent-Replayed") != "true" {
			t.Errorf("second response was not a replay")
		}
	}
	if statuses[0] != http.StatusCreated || statuses[1] != http.StatusCreated {
		t.Fatalf("statuses = %v, want [201 201]", statuses)
	}
}

func TestPostEntryNeedsKey(t *testing.T) {
	h := newTestHandler().Routes()
	req := httptest.NewRequest(http.MethodPost, "/v1/entries", strings.NewReader(`{}`))
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	if rr.Code != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400", rr.Code)
	}
}
