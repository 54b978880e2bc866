// Package audit records who called which admin and API endpoints, buffers
// the records and appends them to daily JSON-lines files.
package audit

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Record is one audited request.
type Record struct {
	Time      time.Time     `json:"time"`
	Principal string        `json:"principal,omitempty"`
	Method    string        `json:"method"`
	Path      string        `json:"path"`
	Status    int           `json:"status"`
	Duration  time.Duration `json:"duration_ns"`
}

// Sink buffers records and appends them to files in dir.
type Sink struct {
	dir    string
	max    int
	logger *log.Logger

	mu     sync.Mutex
	buf    []Record
	closed bool
}

// NewSink returns a sink flushing every max records.
func NewSink(dir string, max int, logger *log.Logger) *Sink {
	return &Sink{dir: dir, max: max, logger: logger}
}

func (s *Sink) path(t time.Time) string {
	return filepath.Join(s.dir, "audit-"+t.UTC().Format("2006-01-02")+".jsonl")
}

// writeBatch appends recs to today's file.
func (s *Sink) writeBatch(recs []Record) error {
	f, err := os.OpenFile(s.path(time.Now()), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// Add buffers r and flushes when the buffer is full.
func (s *Sink) Add(r Record) {
	s.mu.Lock()
	if !s.closed {
		s.buf = append(s.buf, r)
	}
	full := len(s.buf) >= s.max
	s.mu.Unlock()
	if full {
		if err := s.Flush(); err != nil {
			s.logger.Printf("audit: flush: %v", err)
		}
	}
}

// Flush writes the buffered records. The buffer is swapped out under the
// lock and written without it.
func (s *Sink) Flush() error {
	s.mu.Lock()
	recs := s.buf
	s.buf = nil
	s.mu.Unlock()
	if len(recs) == 0 {
		return nil
	}
	return s.writeBatch(recs)
}

// RunFlusher flushes every interval until stop is closed, then once more.
func (s *Sink) RunFlusher(stop <-chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	defer func() {
		if err := s.Flush(); err != nil {
			s.logger.Printf("audit: final flush: %v", err)
		}
	}()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if err := s.Flush(); err != nil {
				s.logger.Printf("audit: flush: %v", err)
			}
		}
	}
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Middleware audits every request passing through.
func (s *Sink) Middleware(principal func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &recorder{ResponseWriter: w, status: http.StatusOK}
			defer s.Add(Record{Time: start, Principal: principal(r), Method: r.Method, Path: r.URL.Path, Status: rec.status, Duration: time.Now().Sub(start)}) // HAZ defer-eager-evaluation
			next.ServeHTTP(rec, r)
		})
	}
}

// MiddlewareDeferred is Middleware with the record built when the handler
// has finished.
func (s *Sink) MiddlewareDeferred(principal func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &recorder{ResponseWriter: w, status: http.StatusOK}
			defer func() {
				s.Add(Record{Time: start, Principal: principal(r), Method: r.Method, Path: r.URL.Path, Status: rec.status, Duration: time.Since(start)})
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// Close stops accepting records and writes what is buffered.
func (s *Sink) Close() error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if ferr := s.Flush(); ferr != nil {
			err = fmt.Errorf("audit: final flush: %w", ferr)
		}
	}()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	return err
}
