package server

import (
	"context"
	"io"
	"net/http"
	"time"
)

type probeResult struct {
	Target string `json:"target"`
	Status int    `json:"status"`
	Error  string `json:"error,omitempty"`
	TookMS int64  `json:"took_ms"`
}

// probe GETs target and reports the outcome. It never returns an error;
// failures are part of the result.
func (s *Server) probe(ctx context.Context, target string) probeResult {
	start := time.Now()
	res := probeResult{Target: target}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	resp, err := s.client.Do(req)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	res.Status = resp.StatusCode
	res.TookMS = time.Since(start).Milliseconds()
	return res
}

func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("target")
	if target == "" {
		http.Error(w, "missing target", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()

	done := make(chan probeResult)
	go func() {
		done <- s.probe(ctx, target) // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-done:
		writeJSON(w, http.StatusOK, res)
	case <-ctx.Done():
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleProbeAll(w http.ResponseWriter, r *http.Request) {
	targets := r.URL.Query()["target"]
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()

	done := make(chan probeResult, len(targets))
	for _, t := range targets {
		go func() {
			done <- s.probe(ctx, t)
		}()
	}
	results := make([]probeResult, 0, len(targets))
	for range targets {
		select {
		case res := <-done:
			results = append(results, res)
		case <-ctx.Done():
			writeJSON(w, http.StatusGatewayTimeout, results)
			return
		}
	}
	writeJSON(w, http.StatusOK, results)
}
