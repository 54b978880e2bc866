package server

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"example.com/dnsresolver/internal/cache"
	"example.com/dnsresolver/internal/dnsmsg"
	"example.com/dnsresolver/internal/metrics"
	"example.com/dnsresolver/internal/ratelimit"
	"example.com/dnsresolver/internal/resolver"
	"example.com/dnsresolver/internal/upstream"
	"example.com/dnsresolver/internal/zone"
)

// AdminConfig wires the admin API.
type AdminConfig struct {
	Cache         *cache.Cache
	Zones         *zone.Store
	Resolver      *resolver.Resolver
	Limiter       *ratelimit.Limiter
	Checker       *upstream.Checker
	Notifier      *Notifier
	Handler       *QueryHandler
	Metrics       *metrics.Registry
	LookupTimeout time.Duration
	Log           *log.Logger
}

// Admin is the HTTP admin API (bound to localhost by dnsd).
type Admin struct {
	cache         *cache.Cache
	zones         *zone.Store
	resolver      *resolver.Resolver
	limiter       *ratelimit.Limiter
	checker       *upstream.Checker
	notifier      *Notifier
	handler       *QueryHandler
	metrics       *metrics.Registry
	lookupTimeout time.Duration
	log           *log.Logger
}

// NewAdmin returns the admin API for cfg.
func NewAdmin(cfg AdminConfig) *Admin {
	if cfg.LookupTimeout <= 0 {
		cfg.LookupTimeout = 3 * time.Second
	}
	return &Admin{
		cache:         cfg.Cache,
		zones:         cfg.Zones,
		resolver:      cfg.Resolver,
		limiter:       cfg.Limiter,
		checker:       cfg.Checker,
		notifier:      cfg.Notifier,
		handler:       cfg.Handler,
		metrics:       cfg.Metrics,
		lookupTimeout: cfg.LookupTimeout,
		log:           cfg.Log,
	}
}

// Routes returns the API's handler.
func (a *Admin) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /stats", a.handleStats)
	mux.HandleFunc("POST /cache/flush", a.handleFlush)
	mux.HandleFunc("GET /lookup", a.handleLookup)
	mux.HandleFunc("GET /upstreams", a.handleUpstreams)
	mux.HandleFunc("POST /upstreams/check", a.handleCheckNow)
	mux.HandleFunc("POST /zones/reload", a.handleReload)
	mux.HandleFunc("GET /zones/{zone}", a.handleZoneExport)
	mux.HandleFunc("POST /zones/{zone}/records", a.handleZoneRecords)
	mux.HandleFunc("POST /zones/{zone}/save", a.handleZoneSave)
	return a.withRecover(mux)
}

// withRecover turns a panicking handler into a 500 instead of a dropped
// connection, and logs the stack.
func (a *Admin) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Printf("admin: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (a *Admin) handleStats(w http.ResponseWriter, r *http.Request) {
	hits, misses, evictions := a.cache.Stats()
	writeJSON(w, http.StatusOK, map[string]any{
		"cache_entries":   a.cache.Len(),
		"cache_hits":      hits,
		"cache_misses":    misses,
		"cache_evictions": evictions,
		"ratelimit_nets":  a.limiter.Len(),
		"zones":           a.zones.Origins(),
		"gauges":          a.metrics.GaugeSnapshot(),
	})
}

func (a *Admin) handleFlush(w http.ResponseWriter, r *http.Request) {
	if name := r.URL.Query().Get("name"); name != "" {
		writeJSON(w, http.StatusOK, map[string]int{"flushed": a.cache.DeleteName(name)})
		return
	}
	n := a.cache.Flush()
	a.log.Printf("admin: cache flushed by %s (%d entries)", r.RemoteAddr, n)
	writeJSON(w, http.StatusOK, map[string]int{"flushed": n})
}

type lookupResult struct {
	msg *dnsmsg.Msg
	err error
}

func (a *Admin) handleLookup(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	t, err := dnsmsg.ParseType(r.URL.Query().Get("type"))
	if name == "" || err != nil {
		http.Error(w, "usage: /lookup?name=NAME&type=TYPE", http.StatusBadRequest)
		return
	}
	ch := make(chan lookupResult)
	go func() {
		m, err := a.resolver.ResolveChain(r.Context(), name, t)
		ch <- lookupResult{m, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		answers := make([]string, 0, len(res.msg.Answer))
		for _, rr := range res.msg.Answer {
			answers = append(answers, zone.FormatRR(rr))
		}
		writeJSON(w, http.StatusOK, map[string]any{"rcode": res.msg.Rcode.String(), "answer": answers})
	case <-time.After(a.lookupTimeout):
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
	}
}

func (a *Admin) handleUpstreams(w http.ResponseWriter, r *http.Request) {
	results, at := a.checker.Results()
	out := make(map[string]string, len(results))
	for addr, err := range results {
		out[addr] = "ok"
		if err != nil {
			out[addr] = err.Error()
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"checked_at": at, "upstreams": out})
}

func (a *Admin) handleCheckNow(w http.ResponseWriter, r *http.Request) {
	results := a.checker.ProbeAll(r.Context())
	out := make(map[string]string, len(results))
	for addr, err := range results {
		out[addr] = "ok"
		if err != nil {
			out[addr] = err.Error()
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *Admin) handleReload(w http.ResponseWriter, r *http.Request) {
	if err := a.zones.ReloadZones(r.Context(), a.zones.Origins()); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"zones": a.zones.Origins()})
}

func (a *Admin) handleZoneExport(w http.ResponseWriter, r *http.Request) {
	z, ok := a.zones.Get(r.PathValue("zone"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/dns")
	if _, err := z.WriteTo(w); err != nil {
		a.log.Printf("admin: export %s: %v", z.Origin, err)
	}
}

type jsonRR struct {
	Name string `json:"name"`
	Type string `json:"type"`
	TTL  uint32 `json:"ttl"`
	Data string `json:"data"`
}

type recordUpdate struct {
	Add    []jsonRR `json:"add"`
	Delete []jsonRR `json:"delete"`
}

func (j jsonRR) toRR() (dnsmsg.RR, error) {
	t, err := dnsmsg.ParseType(j.Type)
	if err != nil {
		return dnsmsg.RR{}, err
	}
	if err := dnsmsg.ValidName(j.Name); err != nil {
		return dnsmsg.RR{}, err
	}
	rr := dnsmsg.RR{Name: dnsmsg.Canonical(j.Name), Type: t, Class: dnsmsg.ClassINET, TTL: j.TTL}
	if j.Data != "" {
		if rr.Data, err = dnsmsg.EncodeRData(t, strings.Fields(j.Data)); err != nil {
			return dnsmsg.RR{}, fmt.Errorf("%s %s: %w", j.Name, j.Type, err)
		}
	}
	return rr, nil
}

func (a *Admin) handleZoneRecords(w http.ResponseWriter, r *http.Request) {
	z, ok := a.zones.Get(r.PathValue("zone"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	var req recordUpdate
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var add []dnsmsg.RR
	var del []dnsmsg.Question
	for _, j := range req.Add {
		rr, err := j.toRR()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		add = append(add, rr)
	}
	for _, j := range req.Delete {
		rr, err := j.toRR()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		del = append(del, dnsmsg.Question{Name: rr.Name, Type: rr.Type})
	}
	serial, entries, err := z.Update(del, add)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	defer a.notifier.notifyAll(z.Origin, serial) // HAZ defer-blocking-call
	if err := a.handler.Journal(z.Origin).AppendBatch(entries); err != nil {
		http.Error(w, "journal: "+err.Error(), http.StatusInternalServerError)
		return
	}
	for _, e := range entries {
		a.cache.DeleteName(e.RR.Name)
	}
	writeJSON(w, http.StatusOK, map[string]any{"zone": z.Origin, "serial": serial, "changes": len(entries)})
}

func (a *Admin) handleZoneSave(w http.ResponseWriter, r *http.Request) {
	origin := dnsmsg.Canonical(r.PathValue("zone"))
	err := a.zones.SaveZoneAndCompact(origin, a.handler.Journal(origin))
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]string{"saved": origin})
	case strings.Contains(err.Error(), "locked"):
		http.Error(w, err.Error(), http.StatusConflict)
	default:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
