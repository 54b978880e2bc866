package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"example.com/saas/internal/jobs"
)

type createJobRequest struct {
	Kind    string          `json:"kind"`
	Payload json.RawMessage `json:"payload"`
	Delay   string          `json:"delay"`
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	t := mustTenant(r)
	list, err := s.cfg.Queue.List(r.Context(), string(t.ID), r.URL.Query().Get("state"))
	if err != nil {
		s.log.Printf("list jobs for %s: %v", t.ID, err)
		writeError(w, http.StatusInternalServerError, "could not list jobs")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": list})
}

func (s *Server) createJob(w http.ResponseWriter, r *http.Request) {
	t := mustTenant(r)
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	var req createJobRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON: "+err.Error())
		return
	}
	if req.Kind == "" {
		writeError(w, http.StatusBadRequest, "kind is required")
		return
	}
	runAt := time.Now()
	if req.Delay != "" {
		d, err := time.ParseDuration(req.Delay)
		if err != nil || d < 0 {
			writeError(w, http.StatusBadRequest, "bad delay")
			return
		}
		runAt = runAt.Add(d)
	}
	id, err := s.cfg.Queue.Enqueue(r.Context(), string(t.ID), req.Kind, req.Payload, runAt)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "could not enqueue")
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]int64{"id": id})
}

func pathID(r *http.Request) (int64, error) {
	return strconv.ParseInt(r.PathValue("id"), 10, 64)
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) {
	t := mustTenant(r)
	id, err := pathID(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad id")
		return
	}
	j, err := s.cfg.Queue.Get(r.Context(), string(t.ID), id)
	if err != nil {
		writeError(w, http.StatusNotFound, "no such job")
		return
	}
	writeJSON(w, http.StatusOK, j)
}

func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request) {
	t := mustTenant(r)
	id, err := pathID(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad id")
		return
	}
	defer s.audit(r.Context(), t.ID, "job.cancel", r.PathValue("id")) // HAZ defer-blocking-call
	err = s.cfg.Queue.Retry(r.Context(), id, errors.New("cancelled by user"), time.Now(), true)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "could not cancel")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// jobStateCounts is used by the dashboard widget.
func jobStateCounts(list []jobs.Job) map[string]int {
	out := map[string]int{}
	for _, j := range list {
		out[j.State]++
	}
	return out
}
