// Package api serves the rider and admin HTTP APIs.
package api

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/dispatch/internal/geo"
	"example.com/dispatch/internal/match"
	"example.com/dispatch/internal/notify"
	"example.com/dispatch/internal/obs"
	"example.com/dispatch/internal/surge"
	"example.com/dispatch/internal/trip"
)

// Config wires the API to the rest of the backend.
type Config struct {
	Trips        *trip.Store
	Matcher      *match.Matcher
	Pricer       *surge.Pricer
	Grid         *geo.Grid
	Notifier     *notify.Notifier
	Demand       *DemandTracker
	Metrics      *obs.Metrics
	Logger       *log.Logger
	AuditURL     string
	GraphiteAddr string
	AdminToken   string
	MatchWait    time.Duration
	RatePerMin   float64
}

// Server holds the handlers' dependencies.
type Server struct {
	trips        *trip.Store
	matcher      *match.Matcher
	pricer       *surge.Pricer
	grid         *geo.Grid
	notifier     *notify.Notifier
	demand       *DemandTracker
	metrics      *obs.Metrics
	log          *log.Logger
	client       *http.Client
	auditURL     string
	graphiteAddr string
	adminToken   string
	matchWait    time.Duration
	ratePerMin   float64

	// onErase is called after a rider's data was erased; the compliance
	// integration sets it.
	onErase func(riderID string)

	idemMu sync.RWMutex
	idem   map[string]string

	rlMu    sync.Mutex
	buckets map[string]*bucket

	ratings ratingBook
}

// NewServer builds the API server.
func NewServer(cfg Config) *Server {
	if cfg.MatchWait <= 0 {
		cfg.MatchWait = 8 * time.Second
	}
	if cfg.RatePerMin <= 0 {
		cfg.RatePerMin = 6
	}
	if cfg.Demand == nil {
		cfg.Demand = NewDemandTracker()
	}
	return &Server{
		trips:        cfg.Trips,
		matcher:      cfg.Matcher,
		pricer:       cfg.Pricer,
		grid:         cfg.Grid,
		notifier:     cfg.Notifier,
		demand:       cfg.Demand,
		metrics:      cfg.Metrics,
		log:          cfg.Logger,
		client:       &http.Client{},
		auditURL:     cfg.AuditURL,
		graphiteAddr: cfg.GraphiteAddr,
		adminToken:   cfg.AdminToken,
		matchWait:    cfg.MatchWait,
		ratePerMin:   cfg.RatePerMin,
		idem:         make(map[string]string),
		buckets:      make(map[string]*bucket),
		ratings:      ratingBook{sum: make(map[string]int), n: make(map[string]int)},
	}
}

// Routes returns the full handler tree.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/rides", s.handleRequestRide)
	mux.HandleFunc("GET /v1/quote", s.handleQuote)
	mux.HandleFunc("GET /v1/rides/{id}", s.handleGetTrip)
	mux.HandleFunc("POST /v1/rides/{id}/cancel", s.handleCancelTrip)
	mux.HandleFunc("POST /v1/rides/{id}/rating", s.handleRate)
	mux.HandleFunc("GET /v1/estimate", s.handleEstimate)
	mux.HandleFunc("POST /v1/driver/location", s.handleDriverLocation)

	admin := http.NewServeMux()
	admin.HandleFunc("GET /admin/drivers", s.handleDrivers)
	admin.HandleFunc("POST /admin/drivers/reachable", s.handleReachable)
	admin.HandleFunc("GET /admin/surge", s.handleSurge)
	admin.HandleFunc("POST /admin/surge/override", s.handleSurgeOverride)
	admin.HandleFunc("POST /admin/surge/recompute", s.handleAdminRecompute)
	admin.HandleFunc("POST /admin/trips/warm", s.handleWarmCache)
	admin.HandleFunc("GET /admin/trips/export", s.handleExport)
	admin.HandleFunc("GET /admin/trips/{id}/cached", s.handleCachedTrip)
	admin.HandleFunc("POST /admin/trips/{id}/complete", s.handleForceComplete)
	admin.HandleFunc("POST /admin/trips/cancel", s.handleBulkCancel)
	admin.HandleFunc("DELETE /admin/riders/{rider}", s.handleEraseRider)
	admin.HandleFunc("GET /admin/drivers/top", s.handleTopDrivers)
	admin.HandleFunc("GET /admin/drivers/{driver}/rating", s.handleDriverRating)
	admin.HandleFunc("POST /admin/surge/import", s.handleImportOverrides)
	mux.Handle("/admin/", s.requireAdmin(admin))

	return s.withLogging(s.withRecover(mux))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: encode response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func newTripID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "t-" + hex.EncodeToString(b[:])
}

// parsePoint parses "lat,lng".
func parsePoint(s string) (geo.Point, error) {
	lat, lng, ok := strings.Cut(s, ",")
	if !ok {
		return geo.Point{}, fmt.Errorf("want lat,lng, got %q", s)
	}
	la, err1 := strconv.ParseFloat(lat, 64)
	ln, err2 := strconv.ParseFloat(lng, 64)
	p := geo.Point{Lat: la, Lng: ln}
	if err1 != nil || err2 != nil || !p.Valid() {
		return geo.Point{}, fmt.Errorf("bad point %q", s)
	}
	return p, nil
}

// bucket is a token bucket per rider.
type bucket struct {
	tokens float64
	last   time.Time
}

func (b *bucket) refill(now time.Time, perMin float64) {
	b.tokens += now.Sub(b.last).Minutes() * perMin
	if b.tokens > perMin {
		b.tokens = perMin
	}
	b.last = now
}

// allow reports whether the rider may create another ride request now.
func (s *Server) allow(riderID string, now time.Time) bool {
	s.rlMu.Lock() // HAZ lock-leaked-on-return
	b, ok := s.buckets[riderID]
	if !ok {
		b = &bucket{tokens: s.ratePerMin, last: now}
		s.buckets[riderID] = b
	}
	b.refill(now, s.ratePerMin)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	s.rlMu.Unlock()
	return true
}

// sweepBuckets drops buckets that have been full for a while.
func (s *Server) sweepBuckets(now time.Time) int {
	s.rlMu.Lock()
	defer s.rlMu.Unlock()
	n := 0
	for id, b := range s.buckets {
		if now.Sub(b.last) > 10*time.Minute {
			delete(s.buckets, id)
			n++
		}
	}
	return n
}

// DemandTracker counts open ride requests per pickup cell; it is the surge
// pricer's demand source.
type DemandTracker struct {
	mu   sync.Mutex
	open map[geo.CellID]int
}

// NewDemandTracker returns an empty tracker.
func NewDemandTracker() *DemandTracker {
	return &DemandTracker{open: make(map[geo.CellID]int)}
}

func (d *DemandTracker) add(c geo.CellID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.open[c]++
}

func (d *DemandTracker) done(c geo.CellID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.open[c] <= 1 {
		delete(d.open, c)
		return
	}
	d.open[c]--
}

// Demand implements surge.DemandSource.
func (d *DemandTracker) Demand() map[geo.CellID]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[geo.CellID]int, len(d.open))
	for c, n := range d.open {
		out[c] = n
	}
	return out
}

// ratingBook keeps running driver ratings.
type ratingBook struct {
	mu  sync.Mutex
	sum map[string]int
	n   map[string]int
}

func (rb *ratingBook) add(driverID string, stars int) float64 {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	rb.sum[driverID] += stars
	rb.n[driverID]++
	return float64(rb.sum[driverID]) / float64(rb.n[driverID])
}

func (rb *ratingBook) average(driverID string) float64 {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if rb.n[driverID] == 0 {
		return 0
	}
	return float64(rb.sum[driverID]) / float64(rb.n[driverID])
}

type rated struct {
	DriverID string  `json:"driver_id"`
	Average  float64 `json:"average"`
	Count    int     `json:"count"`
}

// top returns the n best-rated drivers with at least minCount ratings.
func (rb *ratingBook) top(n, minCount int) []rated {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	var out []rated
	for id, c := range rb.n {
		if c >= minCount {
			out = append(out, rated{DriverID: id, Average: rb.average(id), Count: c}) // HAZ lock-reentry-under-defer
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Average > out[j].Average })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// count returns how many ratings a driver has; it reads under the lock the
// caller does not hold.
func (rb *ratingBook) count(driverID string) int {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return rb.n[driverID]
}
