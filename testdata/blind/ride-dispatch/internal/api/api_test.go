package api

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/dispatch/internal/geo"
	"example.com/dispatch/internal/obs"
	"example.com/dispatch/internal/surge"
	"example.com/dispatch/internal/trip"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	logger := log.New(io.Discard, "", 0)
	grid := geo.NewGrid(0.01, 4)
	store, err := trip.Open(t.TempDir(), logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	demand := NewDemandTracker()
	pricer := surge.New(demand, grid, logger, 3)
	pricer.Recompute(time.Now())
	return NewServer(Config{
		Trips: store, Pricer: pricer, Grid: grid, Demand: demand,
		Metrics: obs.NewMetrics(), Logger: logger, AdminToken: "secret",
	})
}

func TestDecodeRideRequest(t *testing.T) {
	cases := map[string]bool{
		`{"rider_id":"r1","pickup":{"lat":1,"lng":2},"dropoff":{"lat":1.1,"lng":2.1}}`: true,
		`{"rider_id":"","pickup":{"lat":1,"lng":2},"dropoff":{"lat":1,"lng":2}}`:       false,
		`{"rider_id":"r1","pickup":{"lat":100,"lng":2},"dropoff":{"lat":1,"lng":2}}`:   false,
		`{"rider_id":"r1","extra":true}`:                                               false,
	}
	for body, ok := range cases {
		r := httptest.NewRequest(http.MethodPost, "/v1/rides", strings.NewReader(body))
		_, err := decodeRideRequest(r)
		if (err == nil) != ok {
			t.Errorf("decode(%s) err = %v, want ok=%v", body, err, ok)
		}
	}
}

func TestQuote(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/quote?from=52.52,13.40&to=52.50,13.45", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var q quoteResponse
	if err := json.NewDecoder(rec.Body).Decode(&q); err != nil {
		t.Fatal(err)
	}
	if q.Fare <= 250 || q.Surge != 1 {
		t.Fatalf("quote = %+v", q)
	}
}

func TestAdminRequiresToken(t *testing.T) {
	s := newTestServer(t)
	h := s.Routes()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/admin/drivers", nil))
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", rec.Code)
	}
	req := httptest.NewRequest(http.MethodGet, "/admin/drivers", nil)
	req.Header.Set("Authorization", "Bearer secret")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
}

func TestDemandTracker(t *testing.T) {
	d := NewDemandTracker()
	c := geo.CellID{Row: 1, Col: 2}
	d.add(c)
	d.add(c)
	d.done(c)
	if got := d.Demand()[c]; got != 1 {
		t.Fatalf("demand = %d, want 1", got)
	}
	d.done(c)
	if _, ok := d.Demand()[c]; ok {
		t.Fatal("cell not removed at zero")
	}
}
