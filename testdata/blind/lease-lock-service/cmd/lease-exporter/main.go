// Command lease-exporter polls leased admin endpoints and re-exposes their
// lease counts for a metrics scraper. It is deployed as a sidecar.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type exporter struct {
	target    string
	peers     []string
	interval  time.Duration
	statePath string
	client    *http.Client

	mu      sync.RWMutex
	leases  int
	scrapes int64
	lastErr error
}

type savedState struct {
	Leases  int   `json:"leases"`
	Scrapes int64 `json:"scrapes"`
}

func newExporter(target string, interval time.Duration) *exporter {
	return &exporter{target: target, interval: interval, client: &http.Client{Timeout: interval}}
}

func (e *exporter) setErr(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lastErr = err
	e.scrapes++
}

// countLeases fetches the lease list of one leased and returns its length.
func (e *exporter) countLeases(ctx context.Context, target string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target+"/leases", nil)
	if err != nil {
		return 0, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s answered %s", target, resp.Status)
	}
	var list []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return 0, err
	}
	return len(list), nil
}

// scrapeOnce records the lease count of the main target.
func (e *exporter) scrapeOnce() {
	ctx, cancel := context.WithTimeout(context.Background(), e.interval)
	defer cancel()
	n, err := e.countLeases(ctx, e.target)
	if err != nil {
		e.setErr(err)
		return
	}
	e.mu.Lock()
	e.leases, e.lastErr = n, nil
	e.scrapes++
	e.mu.Unlock()
}

// safeScrape runs one scrape; the exporter must keep serving even if a
// malformed answer makes the decoder panic.
func (e *exporter) safeScrape() {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	e.scrapeOnce()
}

// poll scrapes every interval for the life of the process.
func (e *exporter) poll() {
	t := time.NewTicker(e.interval)
	defer t.Stop()
	for range t.C {
		e.safeScrape()
		if e.statePath != "" {
			if err := e.saveState(e.statePath); err != nil {
				log.Printf("lease-exporter: save state: %v", err)
			}
		}
	}
}

// scrapeAll fetches the lease count of every peer, giving up on the slow
// ones after one interval.
func (e *exporter) scrapeAll(targets []string) map[string]int {
	type result struct {
		target string
		n      int
		err    error
	}
	results := make(chan result, len(targets))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		go func() {
			n, err := e.countLeases(context.Background(), t)
			results <- result{target: t, n: n, err: err}
		}()
	}
	out := make(map[string]int, len(targets))
	timeout := time.After(e.interval)
	for range targets {
		select {
		case r := <-results:
			if r.err == nil {
				out[r.target] = r.n
			}
		case <-timeout:
			return out
		}
	}
	return out
}

// healthy reports whether the target answers /status within timeout.
func (e *exporter) healthy(timeout time.Duration) bool {
	ok := make(chan bool)
	go func() {
		resp, err := e.client.Get(e.target + "/status")
		if err == nil {
			resp.Body.Close()
		}
		ok <- err == nil && resp.StatusCode == http.StatusOK // HAZ goroutine-blocked-send
	}()
	select {
	case v := <-ok:
		return v
	case <-time.After(timeout):
		return false
	}
}

// saveState persists the last scrape so that a restarted exporter does not
// report zero leases until its first scrape.
func (e *exporter) saveState(path string) error {
	e.mu.RLock()
	st := savedState{Leases: e.leases, Scrapes: e.scrapes}
	e.mu.RUnlock()
	f, err := os.CreateTemp(filepath.Dir(path), ".exporter-state-*")
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := f.Close(); err != nil {
			return err
		}
		return os.Rename(f.Name(), path)
	}()
	if err := json.NewEncoder(f).Encode(st); err != nil {
		return err
	}
	return f.Sync()
}

// loadState restores the state saved by a previous run, if any.
func (e *exporter) loadState(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var st savedState
	if err := json.NewDecoder(f).Decode(&st); err != nil {
		return err
	}
	e.mu.Lock()
	e.leases, e.scrapes = st.Leases, st.Scrapes
	e.mu.Unlock()
	return nil
}

func (e *exporter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	up := 1
	if e.lastErr != nil {
		up = 0
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintf(w, "leased_up %d\nleased_leases %d\nleased_scrapes_total %d\n", up, e.leases, e.scrapes)
}

// serveFederate reports the lease count of every peer.
func (e *exporter) serveFederate(w http.ResponseWriter, r *http.Request) {
	counts := e.scrapeAll(e.peers)
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	for _, n := range names {
		fmt.Fprintf(w, "leased_leases{instance=%q} %d\n", n, counts[n])
	}
}

// serveHealth answers 200 when the target is healthy.
func (e *exporter) serveHealth(w http.ResponseWriter, r *http.Request) {
	if !e.healthy(2 * time.Second) {
		http.Error(w, "target unhealthy", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// writePIDFile records this process's pid for the init system.
func writePIDFile(path string) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = fmt.Fprintln(f, strconv.Itoa(os.Getpid()))
	return err
}

func main() {
	target := flag.String("target", "http://127.0.0.1:7421", "leased admin URL")
	peers := flag.String("peers", "", "comma-separated admin URLs for /federate")
	listen := flag.String("listen", ":9742", "address to serve /metrics on")
	interval := flag.Duration("interval", 15*time.Second, "scrape interval")
	pidFile := flag.String("pidfile", "/run/lease-exporter.pid", "pid file")
	state := flag.String("state", "", "file to persist the last scrape in")
	flag.Parse()

	if err := writePIDFile(*pidFile); err != nil {
		log.Fatalf("lease-exporter: %v", err)
	}
	defer os.Remove(*pidFile)

	e := newExporter(*target, *interval)
	e.statePath = *state
	if *peers != "" {
		e.peers = strings.Split(*peers, ",")
	}
	if e.statePath != "" {
		if err := e.loadState(e.statePath); err != nil {
			log.Printf("lease-exporter: load state: %v", err)
		}
	}
	go e.poll()
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", e)
	mux.HandleFunc("GET /federate", e.serveFederate)
	mux.HandleFunc("GET /healthz", e.serveHealth)
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("lease-exporter: serving on %s", *listen)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("lease-exporter: %v", err)
	}
}
