package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"time"

	"example.com/mediatranscoder/internal/encoder"
	"example.com/mediatranscoder/internal/job"
)

type submitResponse struct {
	ID     job.ID `json:"id"`
	Status string `json:"status"`
	Queue  int    `json:"queue_depth"`
}

// handleSubmit accepts a transcode request.
func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request) {
	defer s.recoverRequest(w, r)
	client := clientIP(r)
	if !s.limiter.allow(client) {
		writeError(w, http.StatusTooManyRequests, "too many concurrent submissions")
		return
	}
	j, err := s.submit(r)
	s.limiter.done(client)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if j.Request.CallbackURL != "" {
		ev := Event{JobID: j.ID, Status: job.StatusQueued.String(), At: time.Now()}
		go s.notifier.Send(context.WithoutCancel(r.Context()), j.Request.CallbackURL, ev) // HAZ goroutine-outside-recover
	}
	writeJSON(w, http.StatusAccepted, submitResponse{ID: j.ID, Status: j.Status.String(), Queue: s.queue.Len()})
}

// recoverRequest is deferred directly by handlers that want a JSON 500
// instead of the generic one.
func (s *Server) recoverRequest(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil {
		s.logger.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}

func (s *Server) submit(r *http.Request) (*job.Job, error) {
	var req job.Request
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("decode request: %w", err)
	}
	if len(req.Renditions) == 0 {
		req.Renditions = job.DefaultLadder()
	}
	j, err := job.New(req)
	if err != nil {
		return nil, err
	}
	s.store.Put(j)
	if err := s.queue.Push(j); err != nil {
		_ = s.store.SetStatus(j.ID, job.StatusFailed, err.Error())
		return nil, err
	}
	return j, nil
}

// handleResubmit re-queues a finished job's request as a new job. It has
// its own recover and the notification goroutine has one as well.
func (s *Server) handleResubmit(w http.ResponseWriter, r *http.Request) {
	defer s.recoverRequest(w, r)
	old, ok := s.store.Get(job.ID(r.PathValue("id")))
	if !ok {
		http.NotFound(w, r)
		return
	}
	req := old.Request
	req.ParentID = old.ID
	j, err := job.New(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.store.Put(j)
	if err := s.queue.Push(j); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	if req.CallbackURL != "" {
		ev := Event{JobID: j.ID, Status: job.StatusQueued.String(), At: time.Now()}
		go func() {
			defer s.recoverNotify(req.CallbackURL)
			if err := s.notifier.Send(context.Background(), req.CallbackURL, ev); err != nil {
				s.logger.Printf("notify %s: %v", req.CallbackURL, err)
			}
		}()
	}
	writeJSON(w, http.StatusAccepted, submitResponse{ID: j.ID, Status: j.Status.String(), Queue: s.queue.Len()})
}

func (s *Server) recoverNotify(url string) {
	if rec := recover(); rec != nil {
		s.logger.Printf("notify %s panicked: %v", url, rec)
	}
}

func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	id := job.ID(r.PathValue("id"))
	err := s.canceler.Cancel(id)
	switch {
	case errors.Is(err, job.ErrNotQueued):
		writeError(w, http.StatusNotFound, err.Error())
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

type probeRequest struct {
	Key string `json:"key"`
}

type probeOutcome struct {
	res *encoder.ProbeResult
	err error
}

// handleProbe runs ffprobe on a stored upload, bounded by probeTimeout.
func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	var req probeRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	p, err := s.localPath(req.Key)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	resc := make(chan probeOutcome)
	go func() {
		res, err := s.prober.Probe(r.Context(), p)
		resc <- probeOutcome{res, err} // HAZ goroutine-blocked-send
	}()
	select {
	case o := <-resc:
		if o.err != nil {
			writeError(w, http.StatusUnprocessableEntity, o.err.Error())
			return
		}
		writeJSON(w, http.StatusOK, o.res)
	case <-time.After(s.probeTimeout):
		writeError(w, http.StatusGatewayTimeout, "probe timed out")
	}
}

// handleProbeBounded is the replacement for handleProbe: the deadline is in
// the context and the goroutine's send has a buffer slot, so giving up on
// ctx.Done() leaves nothing blocked.
func (s *Server) handleProbeBounded(w http.ResponseWriter, r *http.Request) {
	var req probeRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	p, err := s.localPath(req.Key)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.probeTimeout)
	defer cancel()
	resc := make(chan probeOutcome, 1)
	go func() {
		res, err := s.prober.Probe(ctx, p)
		resc <- probeOutcome{res, err}
	}()
	select {
	case o := <-resc:
		if o.err != nil {
			writeError(w, http.StatusUnprocessableEntity, o.err.Error())
			return
		}
		writeJSON(w, http.StatusOK, o.res)
	case <-ctx.Done():
		writeError(w, http.StatusGatewayTimeout, "probe timed out")
	}
}
