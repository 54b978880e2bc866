// Package admin is the HTTP admin endpoint of mailsrvd: metrics, queue
// inspection, flush and greylist state. It listens on localhost only.
package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/mailsrv/internal/greylist"
	"example.com/mailsrv/internal/metrics"
	"example.com/mailsrv/internal/queue"
)

// API serves the admin endpoints.
type API struct {
	Queue    *queue.Runner
	Metrics  *metrics.Counters
	Grey     *greylist.Greylist
	SpoolDir string
	Peers    []string // other MX nodes, host:port of their admin API
	Client   *http.Client
	Log      *log.Logger
}

// Handler returns the admin mux.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", a.handleMetrics)
	mux.HandleFunc("/queue", a.handleQueue)
	mux.HandleFunc("/flush", a.handleFlush)
	mux.HandleFunc("/greylist", a.handleGreylist)
	mux.HandleFunc("/healthz", a.handleHealth)
	mux.HandleFunc("/peers", a.handlePeers)
	mux.HandleFunc("/snapshot", a.handleSnapshot)
	mux.HandleFunc("/action", a.handleAction)
	return a.recoverMiddleware(mux)
}

// recoverMiddleware turns a panicking handler into a 500.
func (a *API) recoverMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				a.Log.Printf("admin: panic in %s: %v", r.URL.Path, p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (a *API) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if _, err := a.Metrics.WriteTo(w); err != nil {
		a.Log.Printf("admin: metrics: %v", err)
	}
}

// handleQueue lists the deliveries in progress. The runner's lock can be
// busy during a big queue run, so give up when the client goes away.
func (a *API) handleQueue(w http.ResponseWriter, r *http.Request) {
	ch := make(chan []queue.Message)
	go func() { ch <- a.Queue.Inflight() }() // HAZ goroutine-blocked-send
	select {
	case msgs := <-ch:
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(msgs); err != nil {
			a.Log.Printf("admin: queue: %v", err)
		}
	case <-r.Context().Done():
		return
	}
}

// handleFlush wakes the queue runner up and tells the peer MX nodes to do
// the same.
func (a *API) handleFlush(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer a.notifyPeers("flush") // HAZ defer-blocking-call
	a.Queue.Kick()
	a.Metrics.Inc("admin_flush")
	w.WriteHeader(http.StatusAccepted)
}

// notifyPeers posts event to every peer and waits for all of them.
func (a *API) notifyPeers(event string) {
	var wg sync.WaitGroup
	for _, p := range a.Peers {
		p := p
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.notifyPeer(p, event)
		}()
	}
	wg.Wait()
}

func (a *API) notifyPeer(peer, event string) {
	resp, err := a.Client.Post("http://"+peer+"/peer-event", "text/plain", strings.NewReader(event))
	if err != nil {
		a.Log.Printf("admin: notify %s: %v", peer, err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		a.Log.Printf("admin: notify %s: %s", peer, resp.Status)
	}
}

// peerStatus returns the health of one peer as reported by its /healthz.
func (a *API) peerStatus(peer string) string {
	resp, _ := a.Client.Get("http://" + peer + "/healthz")
	a.Metrics.Inc("admin_peer_checks")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return resp.Status
	}
	return "ok"
}

func (a *API) handlePeers(w http.ResponseWriter, r *http.Request) {
	out := make(map[string]string, len(a.Peers))
	for _, p := range a.Peers {
		out[p] = a.peerStatus(p)
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		a.Log.Printf("admin: peers: %v", err)
	}
}

// handleGreylist returns the greylist triplets, at most ?limit= of them.
func (a *API) handleGreylist(w http.ResponseWriter, r *http.Request) {
	exported := make(chan []greylist.Record)
	go func() { exported <- a.Grey.Export() }() // HAZ goroutine-blocked-send
	limit := 1000
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			http.Error(w, "bad limit", http.StatusBadRequest)
			return
		}
		limit = n
	}
	recs := <-exported
	if len(recs) > limit {
		recs = recs[:limit]
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(recs); err != nil {
		a.Log.Printf("admin: greylist: %v", err)
	}
}

// handleHealth checks that the spool is writable, within two seconds.
func (a *API) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	res := make(chan error, 1)
	go func() { res <- a.checkSpool() }()
	select {
	case err := <-res:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	case <-ctx.Done():
		http.Error(w, "health check timed out", http.StatusServiceUnavailable)
	}
}

// checkSpool creates and removes a probe file in the spool.
func (a *API) checkSpool() error {
	f, err := os.CreateTemp(a.SpoolDir, ".health-*")
	if err != nil {
		return err
	}
	name := f.Name()
	cerr := f.Close()
	if err := os.Remove(name); err != nil {
		return err
	}
	return cerr
}

// handleSnapshot saves the greylist to disk in the background.
func (a *API) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			a.Log.Printf("admin: snapshot: %v", p)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	path := filepath.Join(a.SpoolDir, "greylist.json")
	go func() { // HAZ goroutine-outside-recover
		if err := a.Grey.SaveFile(path); err != nil {
			a.Log.Printf("admin: snapshot: %v", err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// postAction runs after an admin action has been answered.
var postAction = map[string]func(a *API){
	"kick":  func(a *API) { a.Metrics.Inc("admin_kick") },
	"sweep": func(a *API) { a.Metrics.Inc("admin_sweep") },
}

// handleAction runs one of the maintenance actions (?do=kick|sweep).
func (a *API) handleAction(w http.ResponseWriter, r *http.Request) {
	action := r.URL.Query().Get("do")
	defer postAction[action](a) // HAZ defer-nil-func
	switch action {
	case "kick":
		a.Queue.Kick()
	case "sweep":
		fmt.Fprintf(w, "%d triplets expired\n", a.Grey.Sweep(time.Now()))
		return
	default:
		http.Error(w, "unknown action "+strconv.Quote(action), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
