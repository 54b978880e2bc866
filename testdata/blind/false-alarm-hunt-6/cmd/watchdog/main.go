// Command watchdog is a small HTTP daemon that receives heartbeats from
// cron jobs and reports the ones that are overdue. It shuts down gracefully
// on SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"sync"
	"syscall"
	"time"

	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/state"
)

type beat struct {
	Job      string        `json:"job"`
	Last     time.Time     `json:"last"`
	Interval time.Duration `json:"interval"`
}

type registry struct {
	mu    sync.Mutex
	beats map[string]beat
	st    *state.Store
}

func newRegistry(st *state.Store) *registry {
	return &registry{beats: make(map[string]beat), st: st}
}

func (r *registry) record(job string, interval time.Duration, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.beats[job] = beat{Job: job, Last: now, Interval: interval}
	r.st.SetTime("beat:"+job, now)
}

// overdue lists jobs whose last beat is older than twice their interval.
func (r *registry) overdue(now time.Time) []beat {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []beat
	for _, b := range r.beats {
		if now.Sub(b.Last) > 2*b.Interval {
			out = append(out, b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Job < out[j].Job })
	return out
}

func main() {
	addr := flag.String("addr", ":9102", "listen address")
	statePath := flag.String("state", "/var/lib/watchdog/state.json", "state file")
	pidPath := flag.String("pidfile", "/run/watchdog.pid", "pid file")
	flag.Parse()

	st, err := state.Open(*statePath)
	if err != nil {
		log.Fatalf("watchdog: %v", err)
	}
	if err := lockfile.WritePIDFile(*pidPath); err != nil {
		log.Fatalf("watchdog: %v", err)
	}
	defer lockfile.RemovePIDFile(*pidPath)
	defer func() {
		if err := st.Save(); err != nil {
			log.Printf("watchdog: save: %v", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, *addr, newRegistry(st)); err != nil {
		log.Printf("watchdog: %v", err)
	}
}

// serve runs the HTTP server until ctx ends, then shuts it down with a
// ten-second deadline. ListenAndServe runs in a goroutine whose error
// channel has room for its single send.
func serve(ctx context.Context, addr string, r *registry) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/beat", r.handleBeat)
	mux.HandleFunc("/overdue", r.handleOverdue)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveSimple is the variant used in tests: the deferred Shutdown is bounded
// by a context with a timeout.
func serveSimple(ctx context.Context, srv *http.Server) error {
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	defer srv.Shutdown(sctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return nil
	}
}

func (r *registry) handleBeat(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer req.Body.Close()
	job := req.URL.Query().Get("job")
	if job == "" {
		http.Error(w, "missing job", http.StatusBadRequest)
		return
	}
	interval, err := time.ParseDuration(req.URL.Query().Get("interval"))
	if err != nil || interval <= 0 {
		interval = 24 * time.Hour
	}
	r.record(job, interval, time.Now())
	w.WriteHeader(http.StatusNoContent)
}

func (r *registry) handleOverdue(w http.ResponseWriter, req *http.Request) {
	list := r.overdue(time.Now())
	w.Header().Set("Content-Type", "application/json")
	if len(list) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if err := json.NewEncoder(w).Encode(list); err != nil {
		log.Printf("watchdog: encode: %v", err)
	}
}
