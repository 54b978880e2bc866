package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"example.com/logship/internal/checkpoint"
	"example.com/logship/internal/config"
	"example.com/logship/internal/metrics"
	"example.com/logship/internal/tail"
)

// admin serves the local admin endpoints (metrics, state, reload).
type admin struct {
	addr    string
	m       *metrics.Registry
	st      *checkpoint.State
	rl      *config.Reloader
	logger  *log.Logger
	reloads chan string // consumed by reloadLoop
}

func newAdmin(addr string, m *metrics.Registry, st *checkpoint.State, rl *config.Reloader, logger *log.Logger) *admin {
	return &admin{addr: addr, m: m, st: st, rl: rl, logger: logger, reloads: make(chan string)}
}

func (a *admin) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", a.handleMetrics)
	mux.HandleFunc("/state", a.handleState)
	mux.HandleFunc("/reload", a.handleReload)
	mux.HandleFunc("/paths", a.handleAddPath)
	mux.HandleFunc("/healthz", a.handleHealth)
	mux.HandleFunc("/lastline", a.handleLastLine)
	return mux
}

// Run serves until ctx is done, then shuts the server down within 5s.
func (a *admin) Run(ctx context.Context) error {
	srv := &http.Server{Addr: a.addr, Handler: a.routes(), ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			a.logger.Printf("admin: shutdown: %v", err)
		}
	}()
	go a.reloadLoop(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		return nil
	}
}

// reloadLoop performs the reloads requested through the admin API, one at
// a time.
func (a *admin) reloadLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case from := <-a.reloads:
			a.logger.Printf("admin: reload requested by %s", from)
			if err := a.rl.Reload(); err != nil {
				a.logger.Printf("admin: reload: %v", err)
			}
		}
	}
}

func (a *admin) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := a.m.WriteText(w); err != nil {
		a.logger.Printf("admin: metrics: %v", err)
	}
}

func (a *admin) handleState(w http.ResponseWriter, r *http.Request) {
	defer a.m.Time("admin_state") // HAZ defer-func-result-not-called
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, a.st.Describe())
}

// handleReload schedules a configuration reload.
func (a *admin) handleReload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer a.requestReload(r.RemoteAddr) // HAZ defer-blocking-call
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintln(w, "reload scheduled")
}

func (a *admin) requestReload(from string) {
	a.reloads <- from
}

// handleAddPath adds a file to follow: POST /paths with the path as body.
func (a *admin) handleAddPath(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4096))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	path := strings.TrimSpace(string(body))
	if !strings.HasPrefix(path, "/") {
		http.Error(w, "absolute path required", http.StatusBadRequest)
		return
	}
	// Apply the change to the config and let subscribers pick it up.
	cfg := *a.rl.Current()
	cfg.Paths = append(append([]string(nil), cfg.Paths...), path)
	if err := cfg.Validate(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.rl.Swap(&cfg)
	w.WriteHeader(http.StatusNoContent)
}

func (a *admin) handleHealth(w http.ResponseWriter, r *http.Request) {
	cfg := a.rl.Current()
	if cfg == nil {
		http.Error(w, "no configuration", http.StatusServiceUnavailable)
		return
	}
	age := time.Since(a.st.LastSaved()).Round(time.Second)
	fmt.Fprintf(w, "ok paths=%d checkpoint_age=%s\n", len(cfg.Paths), age)
}

// handleLastLine shows the last line of one of the followed files:
// GET /lastline?path=/var/log/app.log. Slow disks must not hold the
// request for more than two seconds.
func (a *admin) handleLastLine(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Query().Get("path")
	if !a.follows(path) {
		http.Error(w, "not a followed file", http.StatusNotFound)
		return
	}
	type result struct {
		line string
		err  error
	}
	res := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		l, err := tail.LastLine(path)
		res <- result{l, err}
	}()
	select {
	case rr := <-res:
		if rr.err != nil {
			http.Error(w, rr.err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, rr.line)
	case <-time.After(2 * time.Second):
		http.Error(w, "timed out reading "+path, http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

// follows reports whether path is one of the configured files.
func (a *admin) follows(path string) bool {
	for _, p := range a.rl.Current().Paths {
		if p == path {
			return true
		}
	}
	return false
}
