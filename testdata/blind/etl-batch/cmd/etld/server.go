package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/etl/internal/extract"
	"example.com/etl/internal/load"
	"example.com/etl/internal/progress"
	"example.com/etl/internal/record"
	"example.com/etl/internal/schedule"
	"example.com/etl/internal/store"
	"example.com/etl/internal/transform"
)

type runInfo struct {
	Start    time.Time `json:"start"`
	Duration string    `json:"duration"`
	Error    string    `json:"error,omitempty"`
}

type server struct {
	db       *store.MemDB
	rep      *progress.Reporter
	sched    *schedule.Scheduler
	loader   *load.DBLoader
	steps    []transform.Step
	spoolDir string
	webhook  string
	client   *http.Client
	uploads  chan string
	logf     func(format string, args ...any)

	mu      sync.RWMutex
	lastRun map[string]runInfo
}

func newServer(db *store.MemDB, rep *progress.Reporter, spoolDir, webhook string) (*server, error) {
	s := &server{
		db:       db,
		rep:      rep,
		sched:    schedule.New(log.Printf),
		loader:   &load.DBLoader{DB: db, Table: "staging", Schema: record.Schema{"id", "source", "payload"}},
		steps:    []transform.Step{transform.TrimSpace(), transform.Require("id")},
		spoolDir: spoolDir,
		webhook:  webhook,
		client:   http.DefaultClient,
		uploads:  make(chan string, 16),
		logf:     log.Printf,
		lastRun:  make(map[string]runInfo),
	}
	if err := s.loader.EnsureTable(context.Background()); err != nil {
		return nil, err
	}
	spec, err := schedule.Parse("@hourly")
	if err != nil {
		return nil, err
	}
	err = s.sched.Add(schedule.Job{Name: "publish", Spec: spec, Exclusive: true, Run: s.publish})
	return s, err
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /jobs/{job}/run", s.handleRun)
	mux.HandleFunc("GET /preview", s.handlePreview)
	mux.HandleFunc("GET /status", s.handleStatus)
	mux.HandleFunc("DELETE /jobs/{job}/last", s.handleForget)
	mux.HandleFunc("PUT /uploads/{name}", s.handleUpload)
	mux.HandleFunc("GET /tables/{table}/count", s.handleCount)
	mux.HandleFunc("POST /tables/refresh", s.handleRefresh)
	return recoverer(mux)
}

// publish copies the staging table into the reporting database.
func (s *server) publish(ctx context.Context) error {
	return load.CopyTable(ctx, s.db, "mem://reporting", "staging")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("etld: write response: %v", err)
	}
}

// handleRun runs a job now and answers with its outcome.
func (s *server) handleRun(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("job")
	start := time.Now()
	var runErr error
	defer func() { s.notify(name, start, runErr) }() // HAZ defer-blocking-call
	runErr = s.sched.RunNow(r.Context(), name)
	s.recordRun(name, start, runErr)
	if runErr != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": runErr.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// notify posts the outcome of a run to the configured webhook.
func (s *server) notify(job string, start time.Time, runErr error) {
	if s.webhook == "" {
		return
	}
	body, err := json.Marshal(map[string]any{
		"job":         job,
		"duration_ms": time.Since(start).Milliseconds(),
		"ok":          runErr == nil,
	})
	if err != nil {
		s.logf("webhook: %v", err)
		return
	}
	resp, err := s.client.Post(s.webhook, "application/json", bytes.NewReader(body))
	if err != nil {
		s.logf("webhook: %v", err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		s.logf("webhook: %s", resp.Status)
	}
}

func (s *server) recordRun(name string, start time.Time, err error) {
	info := runInfo{Start: start, Duration: time.Since(start).Round(time.Millisecond).String()}
	if err != nil {
		info.Error = err.Error()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastRun[name] = info
}

// handlePreview shows the first rows of a spooled file after the transform
// steps, or 504 when that takes too long.
func (s *server) handlePreview(w http.ResponseWriter, r *http.Request) {
	src := r.URL.Query().Get("source")
	if src == "" {
		http.Error(w, "missing source", http.StatusBadRequest)
		return
	}
	type preview struct {
		recs []record.Record
		err  error
	}
	ch := make(chan preview)
	go func() {
		recs, err := s.preview(src, 20)
		ch <- preview{recs, err} // HAZ goroutine-blocked-send
	}()
	select {
	case p := <-ch:
		if p.err != nil {
			http.Error(w, p.err.Error(), http.StatusBadRequest)
			return
		}
		writeJSON(w, http.StatusOK, p.recs)
	case <-time.After(5 * time.Second):
		http.Error(w, "preview timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

func (s *server) preview(src string, n int) (out []record.Record, err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a malformed upload must not take the service down
		}
	}()
	recs, err := extract.ReadCSV(filepath.Join(s.spoolDir, filepath.Base(src)))
	if err != nil {
		return nil, err
	}
	p := &transform.Pipeline{Steps: s.steps}
	return p.ProcessAll(context.Background(), [][]record.Record{recs[:min(n, len(recs))]})
}

// forgetRun drops the recorded outcome of a job.
func (s *server) forgetRun(name string) bool {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	_, ok := s.lastRun[name]
	delete(s.lastRun, name)
	return ok
}

func (s *server) handleForget(w http.ResponseWriter, r *http.Request) {
	if !s.forgetRun(r.PathValue("job")) {
		http.Error(w, "no recorded run", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) handleStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	runs := maps.Clone(s.lastRun)
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"runs":    runs,
		"history": s.sched.History(),
		"tables":  s.db.Tables(),
	})
}

// handleCount counts a table, giving up after two seconds.
func (s *server) handleCount(w http.ResponseWriter, r *http.Request) {
	table := r.PathValue("table")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	type countResult struct {
		n   int
		err error
	}
	ch := make(chan countResult, 1)
	go func() {
		n, err := s.db.Count(table)
		ch <- countResult{n, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"count": res.n})
	case <-ctx.Done():
		http.Error(w, "count timed out", http.StatusGatewayTimeout)
	}
}

// recoverer turns a panicking handler into a 500 response and a log line.
func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("etld: %s %s: panic: %v", r.Method, r.URL.Path, p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// handleRefresh re-reads the spooled files of every table in the
// background and answers 202 right away.
func (s *server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, table := range s.db.Tables() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.refresh(context.Background(), table)
		}()
	}
	w.WriteHeader(http.StatusAccepted)
}

// refresh reloads one table from the spooled CSV of the same name.
func (s *server) refresh(ctx context.Context, table string) {
	path := filepath.Join(s.spoolDir, table+".csv")
	recs, err := extract.ReadCSV(path)
	if err != nil {
		s.logf("refresh %s: %v", table, err)
		return
	}
	l := &load.DBLoader{DB: s.db, Table: table, Schema: record.InferSchema(recs)}
	if err := l.Load(ctx, recs); err != nil {
		s.logf("refresh %s: %v", table, err)
	}
}

// handleUpload stores the request body in the spool and queues it for
// ingestion.
func (s *server) handleUpload(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.PathValue("name"))
	if !strings.HasSuffix(name, ".csv") {
		http.Error(w, "only .csv uploads are accepted", http.StatusBadRequest)
		return
	}
	dst := filepath.Join(s.spoolDir, name)
	body := http.MaxBytesReader(w, r.Body, 64<<20)
	err := load.WriteFileAtomic(dst, 0o644, func(fw io.Writer) error {
		_, err := io.Copy(fw, body)
		return err
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	select {
	case s.uploads <- dst:
		w.WriteHeader(http.StatusAccepted)
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
		http.Error(w, "ingest queue is full", http.StatusServiceUnavailable)
	}
}

// ingest loads every uploaded file into the staging table.
func (s *server) ingest(ctx context.Context) {
	for path := range s.uploads {
		f, err := os.Open(path)
		if err != nil {
			s.logf("ingest %s: %v", path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		recs, err := extract.DecodeCSV(f, path)
		if err != nil {
			s.logf("ingest %s: %v", path, err)
			continue
		}
		if err := s.loader.Load(ctx, recs); err != nil {
			s.logf("ingest %s: %v", path, err)
			if err := os.Rename(path, path+".failed"); err != nil {
				s.logf("ingest: %v", err)
			}
			continue
		}
		s.rep.Add("ingest", int64(len(recs)))
	}
}

// retryLoop re-attempts failed uploads once a minute, for the lifetime of
// the process.
func (s *server) retryLoop(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for range t.C {
		paths, err := filepath.Glob(filepath.Join(s.spoolDir, "*.failed"))
		if err != nil {
			s.logf("retry: %v", err)
			continue
		}
		for _, p := range paths {
			s.retryOne(ctx, p)
		}
	}
}

func (s *server) retryOne(ctx context.Context, path string) {
	f, err := os.Open(path)
	if err != nil {
		s.logf("retry %s: %v", path, err)
		return
	}
	defer f.Close()
	recs, err := extract.DecodeCSV(f, path)
	if err != nil {
		s.logf("retry %s: %v", path, err)
		return
	}
	if err := s.loader.Load(ctx, recs); err != nil {
		s.logf("retry %s: %v", path, err)
		return
	}
	if err := os.Remove(path); err != nil {
		s.logf("retry: %v", err)
	}
}
