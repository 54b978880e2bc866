package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"example.com/mediatranscoder/internal/job"
)

func (s *Server) handleJobStatus(w http.ResponseWriter, r *http.Request) {
	id := job.ID(r.PathValue("id"))
	sum, err := s.store.Summary(id)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	if u, ok := s.tracker.Last(id); ok {
		writeJSON(w, http.StatusOK, map[string]any{"job": sum, "progress": u})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"job": sum})
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 {
		limit = 50
	}
	writeJSON(w, http.StatusOK, s.store.List(min(limit, 500)))
}

// handleEvents streams progress updates as server-sent events until the job
// is done or the client goes away.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusNotImplemented, "streaming unsupported")
		return
	}
	id := job.ID(r.PathValue("id"))
	updates, unsubscribe := s.tracker.Subscribe(id)
	defer unsubscribe()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case u := <-updates:
			data, err := json.Marshal(u)
			if err != nil {
				return
			}
			fmt.Fprintf(w, "event: progress\ndata: %s\n\n", data)
			fl.Flush()
			if u.Done {
				return
			}
		case <-keepalive.C:
			fmt.Fprint(w, ": keepalive\n\n")
			fl.Flush()
		}
	}
}

// handleHealth runs the dependency checks concurrently with a deadline. The
// result channel has a slot for every check, so checks that finish after
// the handler gave up do not block.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]func(context.Context) error{
		"storage": s.checkStorage,
		"ffprobe": func(context.Context) error { return s.ffprobeAvailable() },
	}
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(checks))
	for name, check := range checks {
		go func() { results <- result{name, check(ctx)} }()
	}
	status := make(map[string]string, len(checks))
	healthy := true
	for range checks {
		select {
		case res := <-results:
			status[res.name] = "ok"
			if res.err != nil {
				status[res.name] = res.err.Error()
				healthy = false
			}
		case <-ctx.Done():
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "health check timed out"})
			return
		}
	}
	code := http.StatusOK
	if !healthy {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, status)
}

// checkStorage writes, closes (checked) and removes a probe file.
func (s *Server) checkStorage(ctx context.Context) error {
	f, err := os.CreateTemp(s.files.Root, ".health-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return ctx.Err()
}
