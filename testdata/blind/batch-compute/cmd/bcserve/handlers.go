package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"example.com/batchcompute/internal/checkpoint"
	"example.com/batchcompute/internal/numeric"
	"example.com/batchcompute/internal/output"
	"example.com/batchcompute/internal/progress"
)

type server struct {
	cfg    config
	store  *checkpoint.Store
	rep    *progress.Reporter
	logger *log.Logger
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/status", s.rep)
	mux.HandleFunc("/results/", s.handleResults)
	mux.HandleFunc("/quantile", s.handleQuantile)
	mux.HandleFunc("/quantile2", s.handleQuantileBuffered)
	mux.HandleFunc("/checkpoint", s.handleCheckpoint)
	mux.HandleFunc("/export.json.gz", s.handleExportGz)
	return s.logRequests(mux)
}

func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.logger.Printf("%s %s", r.Method, r.URL.Path)
		next.ServeHTTP(w, r)
	})
}

// resultPath maps a request path to a file in the results directory.
func (s *server) resultPath(urlPath string) (string, error) {
	name := strings.TrimPrefix(urlPath, "/results/")
	if name == "" || strings.Contains(name, "..") || strings.ContainsRune(name, '/') {
		return "", errors.New("bad result name")
	}
	return filepath.Join(s.cfg.ResultsDir, name), nil
}

// handleResults streams a result file.
func (s *server) handleResults(w http.ResponseWriter, r *http.Request) {
	path, err := s.resultPath(r.URL.Path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	if strings.HasSuffix(path, ".gz") {
		w.Header().Set("Content-Encoding", "gzip")
	}
	if _, err := io.Copy(w, f); err != nil {
		s.logger.Printf("results %s: %v", path, err)
	}
}

func parseQuantileQuery(r *http.Request) (string, float64, error) {
	q, err := strconv.ParseFloat(r.URL.Query().Get("q"), 64)
	if err != nil || q < 0 || q > 1 {
		return "", 0, fmt.Errorf("q must be in [0,1]")
	}
	name := r.URL.Query().Get("file")
	if name == "" || strings.ContainsAny(name, "/\\") {
		return "", 0, fmt.Errorf("bad file")
	}
	return name, q, nil
}

func quantileOfMeans(path string, q float64) (float64, error) {
	recs, err := output.ReadCSV(path)
	if err != nil {
		return 0, err
	}
	means := make([]float64, len(recs))
	for i, rec := range recs {
		means[i] = rec.Mean
	}
	return numeric.Quantile(means, q), nil
}

type quantileResult struct {
	v   float64
	err error
}

// handleQuantile computes a quantile of the record means of a results file.
func (s *server) handleQuantile(w http.ResponseWriter, r *http.Request) {
	name, q, err := parseQuantileQuery(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ch := make(chan quantileResult)
	go func() {
		v, err := quantileOfMeans(filepath.Join(s.cfg.ResultsDir, name), q)
		ch <- quantileResult{v, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		writeQuantile(w, res)
	case <-r.Context().Done():
		return
	}
}

// handleQuantileBuffered is handleQuantile with a deadline and a channel the worker can
// always send on.
func (s *server) handleQuantileBuffered(w http.ResponseWriter, r *http.Request) {
	name, q, err := parseQuantileQuery(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.queryTimeout())
	defer cancel()
	ch := make(chan quantileResult, 1)
	go func() {
		v, err := quantileOfMeans(filepath.Join(s.cfg.ResultsDir, name), q)
		ch <- quantileResult{v, err}
	}()
	select {
	case res := <-ch:
		writeQuantile(w, res)
	case <-ctx.Done():
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

func writeQuantile(w http.ResponseWriter, res quantileResult) {
	if res.err != nil {
		http.Error(w, res.err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]float64{"quantile": res.v})
}

// handleCheckpoint returns the newest checkpoint of a job.
func (s *server) handleCheckpoint(w http.ResponseWriter, r *http.Request) {
	job := r.URL.Query().Get("job")
	if job == "" {
		http.Error(w, "missing job", http.StatusBadRequest)
		return
	}
	cp, ok, err := s.store.Latest(job)
	switch {
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	case !ok:
		http.Error(w, "no checkpoint", http.StatusNotFound)
	default:
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(cp); err != nil {
			s.logger.Printf("checkpoint %s: %v", job, err)
		}
	}
}

// handleExportGz returns every record of results.csv as gzip'd JSON.
func (s *server) handleExportGz(w http.ResponseWriter, r *http.Request) {
	recs, err := output.ReadCSV(filepath.Join(s.cfg.ResultsDir, "results.csv"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	if err := json.NewEncoder(zw).Encode(recs); err != nil {
		s.logger.Printf("export: %v", err)
	}
	if err := zw.Close(); err != nil {
		s.logger.Printf("export: close: %v", err)
	}
}
