package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/inventory/internal/replenish"
	"example.com/inventory/internal/reserve"
	"example.com/inventory/internal/stock"
)

type fixedQuotes struct{ q replenish.Quote }

func (f fixedQuotes) Quote(context.Context, stock.SKU) (replenish.Quote, error) { return f.q, nil }

func newTestAPI(t *testing.T) *API {
	t.Helper()
	s := stock.NewStore()
	if err := s.Ensure("AMS1").Receive("SKU-1", 7); err != nil {
		t.Fatal(err)
	}
	m := reserve.NewManager(s, time.Hour, nil)
	return New(s, m, fixedQuotes{replenish.Quote{SKU: "SKU-1", LeadDays: 4}}, nil)
}

func TestStockEndpoint(t *testing.T) {
	h := newTestAPI(t).Routes()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/stock/AMS1/SKU-1", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	var body map[string]int
	if err := json.NewDecoder(rec.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body["available"] != 7 {
		t.Fatalf("body = %v", body)
	}
}

func TestLeadTime(t *testing.T) {
	h := newTestAPI(t).Routes()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/leadtime/SKU-1", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, body %s", rec.Code, rec.Body)
	}
}
