package replenish

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/inventory/internal/stock"
)

func TestPlanOrdersBelowReorder(t *testing.T) {
	s := stock.NewStore()
	w := s.Ensure("AMS1")
	for sku, qty := range map[stock.SKU]int{"LOW": 2, "OK": 50} {
		if err := w.Receive(sku, qty); err != nil {
			t.Fatal(err)
		}
		if err := w.SetReorderPoint(sku, 10); err != nil {
			t.Fatal(err)
		}
	}
	orders := Plan(s, []Target{
		{Warehouse: "AMS1", SKU: "LOW", Max: 40},
		{Warehouse: "AMS1", SKU: "OK", Max: 40},
		{Warehouse: "NOPE", SKU: "LOW", Max: 40},
	})
	if len(orders) != 1 || orders[0].SKU != "LOW" || orders[0].Qty != 38 {
		t.Fatalf("orders = %+v", orders)
	}
}

func TestQuote(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(Quote{SKU: "SKU-1", UnitPrice: 2.5, LeadDays: 3})
	}))
	defer srv.Close()

	c := NewClient(srv.URL, time.Second)
	q, err := c.Quote(context.Background(), "SKU-1")
	if err != nil {
		t.Fatal(err)
	}
	if q.LeadDays != 3 || q.UnitPrice != 2.5 {
		t.Fatalf("quote = %+v", q)
	}
}
