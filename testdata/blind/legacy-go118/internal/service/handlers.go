package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// auditLog buffers audit lines for a background writer.
type auditLog struct {
	ch      chan string
	dropped int64
}

func newAuditLog(n int) *auditLog {
	return &auditLog{ch: make(chan string, n)}
}

// record queues line, waiting for room.
func (a *auditLog) record(line string) {
	a.ch <- line
}

// tryRecord queues line or counts it as dropped.
func (a *auditLog) tryRecord(line string) {
	select {
	case a.ch <- line:
	default:
		atomic.AddInt64(&a.dropped, 1)
	}
}

// Drain writes queued audit lines to w until ctx ends.
func (a *auditLog) Drain(ctx context.Context, w io.Writer) {
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-a.ch:
			fmt.Fprintln(w, line)
		}
	}
}

// Handler returns the HTTP API of the service.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/get", s.handleGet)
	mux.HandleFunc("/put", s.handlePut)
	mux.HandleFunc("/delete", s.handleDelete)
	mux.HandleFunc("/status", s.handleStatus)
	mux.HandleFunc("/status2", s.handleStatusBuffered)
	mux.HandleFunc("/upload", s.handleUpload)
	mux.HandleFunc("/proxy", s.handleProxy)
	mux.HandleFunc("/mirror", s.handleMirror)
	return s.recoverMiddleware(mux)
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	v, err := s.LookupBuffered(ctx, r.URL.Query().Get("key"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	io.WriteString(w, v)
}

func (s *Service) handlePut(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	b, err := ioutil.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := r.URL.Query().Get("key")
	defer s.audit.tryRecord("put " + key) // ok: never blocks
	if err := s.backend.Put(r.Context(), key, string(b)); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Service) handleDelete(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	defer s.audit.record("delete " + key) // HAZ defer-blocking-call
	if key == "" {
		http.Error(w, "missing key", http.StatusBadRequest)
		return
	}
	if err := s.backend.Put(r.Context(), key, ""); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type status struct {
	Shards  int            `json:"shards"`
	Indexed map[int]int    `json:"indexed"`
	Dropped int64          `json:"dropped_audit"`
	Extra   map[string]int `json:"extra,omitempty"`
}

func (s *Service) collect() status {
	s.mu.Lock()
	defer s.mu.Unlock()
	idx := make(map[int]int, len(s.indexed))
	for k, v := range s.indexed {
		idx[k] = v
	}
	return status{Shards: len(s.shards), Indexed: idx, Dropped: atomic.LoadInt64(&s.audit.dropped)}
}

func (s *Service) handleStatus(w http.ResponseWriter, r *http.Request) {
	ch := make(chan status)
	go func() { ch <- s.collect() }() // HAZ goroutine-blocked-send
	select {
	case st := <-ch:
		json.NewEncoder(w).Encode(st)
	case <-time.After(500 * time.Millisecond):
		http.Error(w, "status timed out", http.StatusServiceUnavailable)
	}
}

func (s *Service) handleStatusBuffered(w http.ResponseWriter, r *http.Request) {
	ch := make(chan status, 1)
	go func() { ch <- s.collect() }() // ok: buffered, the send never blocks
	t := time.NewTimer(500 * time.Millisecond)
	defer t.Stop()
	select {
	case st := <-ch:
		json.NewEncoder(w).Encode(st)
	case <-t.C:
		http.Error(w, "status timed out", http.StatusServiceUnavailable)
	}
}

func (s *Service) handleUpload(w http.ResponseWriter, r *http.Request) {
	dir, err := ioutil.TempDir("", "upload")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	f, err := os.Create(filepath.Join(dir, "payload"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	n, err := io.Copy(f, io.LimitReader(r.Body, 64<<20))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, "received %d bytes\n", n)
}

func (s *Service) handleProxy(w http.ResponseWriter, r *http.Request) {
	conn, err := net.DialTimeout("tcp", r.URL.Query().Get("addr"), 2*time.Second)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(conn, io.LimitReader(r.Body, 1<<20)); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	io.Copy(w, conn)
}

func (s *Service) handleMirror(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL.Query().Get("url"), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close() // ok: after the error check
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// recoverMiddleware turns handler panics into 500s and reports them.
func (s *Service) recoverMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("panic serving %s: %v", r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// ServeNotify serves one request and notifies the backend asynchronously.
func (s *Service) ServeNotify(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("panic serving %s: %v", r.URL.Path, v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	key := r.URL.Query().Get("key")
	go s.backend.Put(context.Background(), "last-notify", key) // HAZ goroutine-outside-recover
	w.WriteHeader(http.StatusAccepted)
}

// ServeNotifyGuarded is ServeNotify whose goroutine recovers on its own.
func (s *Service) ServeNotifyGuarded(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("panic serving %s: %v", r.URL.Path, v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	key := r.URL.Query().Get("key")
	go func() {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("notify %s: panic: %v", key, v)
			}
		}()
		if err := s.backend.Put(context.Background(), "last-notify", key); err != nil {
			log.Printf("notify %s: %v", key, err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Shutdown stops srv, waiting at most grace for open requests.
func Shutdown(srv *http.Server, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return srv.Shutdown(ctx)
}

// ServeUntil serves on srv until ctx ends, then shuts it down with a bounded
// grace period.
func ServeUntil(ctx context.Context, srv *http.Server) error {
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
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
