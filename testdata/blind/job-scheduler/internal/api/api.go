// Package api is the HTTP API of schedulerd: list jobs, trigger runs, read
// history.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"example.com/jobscheduler/internal/history"
	"example.com/jobscheduler/internal/job"
	"example.com/jobscheduler/internal/scheduler"
)

// AuditRecord is one API call that changed or read job state.
type AuditRecord struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	JobID  string    `json:"job_id"`
	Remote string    `json:"remote"`
}

// Server implements http.Handler.
type Server struct {
	sched    *scheduler.Scheduler
	hist     *history.Store
	log      *slog.Logger
	audit    chan AuditRecord
	syncWait time.Duration
	mux      *http.ServeMux
}

// New wires the routes.
func New(sched *scheduler.Scheduler, hist *history.Store, log *slog.Logger) *Server {
	s := &Server{
		sched:    sched,
		hist:     hist,
		log:      log,
		audit:    make(chan AuditRecord, 64),
		syncWait: 30 * time.Second,
		mux:      http.NewServeMux(),
	}
	s.mux.HandleFunc("GET /jobs", s.handleList)
	s.mux.HandleFunc("GET /jobs/{id}", s.handleGet)
	s.mux.HandleFunc("POST /jobs/{id}/trigger", s.handleTrigger)
	s.mux.HandleFunc("POST /jobs/{id}/run", s.handleRun)
	s.mux.HandleFunc("POST /jobs/{id}/pause", s.handlePause)
	s.mux.HandleFunc("POST /jobs/{id}/resume", s.handleResume)
	s.mux.HandleFunc("GET /jobs/{id}/history", s.handleHistory)
	s.mux.HandleFunc("DELETE /jobs/{id}", s.handleDelete)
	s.mux.HandleFunc("GET /history/export", s.handleExport)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.recoverer(s.mux).ServeHTTP(w, r)
}

// recoverer turns a handler panic into a 500, except for ErrAbortHandler.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panicked", "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

func statusFor(err error) int {
	if errors.Is(err, scheduler.ErrUnknownJob) {
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

type jobView struct {
	ID     string      `json:"id"`
	Spec   string      `json:"spec"`
	Next   time.Time   `json:"next"`
	Paused bool        `json:"paused"`
	Last   *job.Result `json:"last,omitempty"`
}

func viewOf(e scheduler.Entry) jobView {
	return jobView{ID: e.Job.ID, Spec: e.Job.Spec, Next: e.Next, Paused: e.Paused, Last: e.Last}
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	all := r.URL.Query().Get("all") == "1"
	var out []jobView
	for e := range s.sched.Entries() {
		if e.Paused && !all {
			continue
		}
		out = append(out, viewOf(e))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	e, ok := s.sched.Lookup(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, scheduler.ErrUnknownJob)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(e))
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "dropped_events": s.sched.Dropped()})
}

// handleTrigger starts a run that outlives the request and answers at once
// or, with ?wait=1, when the run finishes within syncWait.
func (s *Server) handleTrigger(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.tryAudit(r, "trigger", id)
	if r.URL.Query().Get("wait") != "1" {
		if err := s.sched.Trigger(context.WithoutCancel(r.Context()), id); err != nil {
			writeError(w, statusFor(err), err)
			return
		}
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "started", "job": id})
		return
	}
	type outcome struct {
		res job.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := s.sched.RunNow(context.WithoutCancel(r.Context()), id)
		done <- outcome{res, err}
	}()
	t := time.NewTimer(s.syncWait)
	defer t.Stop()
	select {
	case o := <-done:
		if o.err != nil {
			writeError(w, statusFor(o.err), o.err)
			return
		}
		writeJSON(w, http.StatusOK, o.res)
	case <-t.C:
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "running", "job": id})
	case <-r.Context().Done():
	}
}

// handleRun runs the job synchronously for clients that want the result.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	type outcome struct {
		res job.Result
		err error
	}
	done := make(chan outcome)
	go func() {
		res, err := s.sched.RunNow(context.WithoutCancel(r.Context()), id)
		done <- outcome{res, err} // HAZ goroutine-blocked-send
	}()
	select {
	case o := <-done:
		if o.err != nil {
			writeError(w, statusFor(o.err), o.err)
			return
		}
		writeJSON(w, http.StatusOK, o.res)
	case <-r.Context().Done():
		s.log.Info("client gave up waiting", "job", id)
	case <-time.After(s.syncWait):
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "running", "job": id})
	}
}

func (s *Server) handlePause(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var err error
	defer s.logOutcome("pause", id, err) // HAZ defer-eager-evaluation
	if err = s.sched.Pause(id); err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleResume(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var err error
	defer func() { s.logOutcome("resume", id, err) }()
	if err = s.sched.Resume(id); err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) logOutcome(action, id string, err error) {
	if err != nil {
		s.log.Warn("api call failed", "action", action, "job", id, "err", err)
		return
	}
	s.log.Info("api call", "action", action, "job", id)
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.recordAudit(r, "history", id) // HAZ defer-blocking-call
	n := 50
	if v := r.URL.Query().Get("n"); v != "" {
		parsed, err := strconv.Atoi(v)
		if err != nil || parsed <= 0 {
			writeError(w, http.StatusBadRequest, errors.New("n must be a positive integer"))
			return
		}
		n = min(parsed, 1000)
	}
	recs, err := s.hist.Last(id, n)
	if err != nil && len(recs) == 0 {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, recs)
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	s.tryAudit(r, "export", "")
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", `attachment; filename="history.jsonl.gz"`)
	if err := s.hist.ExportTo(w); err != nil {
		s.log.Warn("history export failed", "err", err)
	}
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.tryAudit(r, "delete", id)
	if err := s.sched.Remove(id); err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func auditOf(r *http.Request, action, id string) AuditRecord {
	return AuditRecord{At: time.Now(), Action: action, JobID: id, Remote: r.RemoteAddr}
}

// recordAudit waits for room in the audit queue.
func (s *Server) recordAudit(r *http.Request, action, id string) {
	s.audit <- auditOf(r, action, id)
}

// tryAudit drops the record when the audit queue is full.
func (s *Server) tryAudit(r *http.Request, action, id string) {
	select {
	case s.audit <- auditOf(r, action, id):
	default:
		s.log.Warn("audit queue full, record dropped", "action", action, "job", id)
	}
}

// RunAudit logs audit records until ctx ends.
func (s *Server) RunAudit(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case rec := <-s.audit:
			s.log.Info("audit", "action", rec.Action, "job", rec.JobID, "remote", rec.Remote, "at", rec.At)
		}
	}
}

// ListenAndServe listens on addr until ctx ends; the deferred shutdown is
// bounded by its own timeout.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			s.log.Warn("api shutdown", "err", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return nil
	}
}

// Serve serves on ln until ctx ends, then shuts down gracefully within ten
// seconds and returns once the shutdown has finished.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	shutdownDone := make(chan error, 1)
	stop := context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		shutdownDone <- srv.Shutdown(sctx)
	})
	err := srv.Serve(ln)
	if stop() {
		return err
	}
	if !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return <-shutdownDone
}
