package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"example.com/cirunner/internal/logstream"
)

// API serves the runner's status endpoints.
type API struct {
	run      *Runner
	upstream string
	client   *http.Client
}

// NewAPI returns the status API for r. Cancellations are reported to the
// coordinator at upstream.
func NewAPI(r *Runner, upstream string) *API {
	return &API{run: r, upstream: upstream, client: &http.Client{Timeout: 30 * time.Second}}
}

// Handler returns the HTTP handler with all routes.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", a.handleHealth)
	mux.HandleFunc("/jobs", a.handleJobs)
	mux.HandleFunc("/jobs/", a.handleJob)
	mux.HandleFunc("/summary", a.handleSummary)
	mux.HandleFunc("/cancel/", a.handleCancel)
	mux.HandleFunc("/logs/", a.handleLogTail)
	return a.withRecover(mux)
}

// withRecover turns a panicking handler into a 500 and logs the stack.
func (a *API) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("api: %s %s: panic: %v\n%s", req.Method, req.URL.Path, p, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, req)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: encode response: %v", err)
	}
}

func (a *API) handleJobs(w http.ResponseWriter, req *http.Request) {
	limit := 50
	if s := req.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			http.Error(w, "bad limit", http.StatusBadRequest)
			return
		}
		limit = n
	}
	writeJSON(w, http.StatusOK, a.run.reg.List(limit))
}

func (a *API) handleJob(w http.ResponseWriter, req *http.Request) {
	id := strings.TrimPrefix(req.URL.Path, "/jobs/")
	e, ok := a.run.reg.Get(id)
	if !ok {
		http.NotFound(w, req)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (a *API) handleSummary(w http.ResponseWriter, req *http.Request) {
	writeJSON(w, http.StatusOK, a.run.reg.Summary())
}

// handleHealth checks that the work root is writable, within two seconds.
func (a *API) handleHealth(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- a.checkDisk() }()
	select {
	case err := <-errc:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	case <-ctx.Done():
		http.Error(w, "health check timed out", http.StatusServiceUnavailable)
	}
}

func (a *API) checkDisk() error {
	f, err := os.CreateTemp(a.run.cfg.WorkRoot, ".health-*")
	if err != nil {
		return err
	}
	name := f.Name()
	cerr := f.Close()
	return errors.Join(cerr, os.Remove(name))
}

// handleCancel cancels a running job and tells the coordinator.
func (a *API) handleCancel(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	id := strings.TrimPrefix(req.URL.Path, "/cancel/")
	defer a.notifyUpstream(id) // HAZ defer-blocking-call
	if !a.run.Cancel(id) {
		http.Error(w, "job is not running here", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (a *API) notifyUpstream(id string) {
	if a.upstream == "" {
		return
	}
	resp, err := a.client.Post(a.upstream+"/jobs/"+url.PathEscape(id)+"/canceled", "application/json", nil)
	if err != nil {
		log.Printf("api: notify coordinator of cancel %s: %v", id, err)
		return
	}
	resp.Body.Close()
}

type tailResult struct {
	lines []string
	err   error
}

// handleLogTail returns the last lines of a job's log.
func (a *API) handleLogTail(w http.ResponseWriter, req *http.Request) {
	id := strings.TrimPrefix(req.URL.Path, "/logs/")
	if id == "" || strings.ContainsAny(id, `/\`) {
		http.Error(w, "bad job id", http.StatusBadRequest)
		return
	}
	n := 200
	if s := req.URL.Query().Get("n"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v > 0 {
			n = v
		}
	}
	path := filepath.Join(a.run.cfg.LogDir, id+".log")
	ch := make(chan tailResult)
	go func() {
		lines, err := logstream.ReadTail(path, n)
		ch <- tailResult{lines, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, l := range res.lines {
			fmt.Fprintln(w, l)
		}
	case <-req.Context().Done():
		return
	case <-time.After(5 * time.Second):
		http.Error(w, "log too large to tail in time", http.StatusGatewayTimeout)
	}
}
