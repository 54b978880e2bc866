package httpx

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"example.com/fah13/internal/kv"
	"example.com/fah13/internal/trace"
)

const (
	maxValueSize = 4 << 20
	maxBatchSize = 16 << 20
)

type auditRecord struct {
	Op     string    `json:"op"`
	Key    string    `json:"key"`
	Remote string    `json:"remote"`
	At     time.Time `json:"at"`
}

// Server serves the key-value API.
type Server struct {
	store   *kv.Store
	rec     *trace.Recorder
	logger  *log.Logger
	auditC  chan auditRecord
	dropped atomic.Int64
}

// NewServer returns a server for store. Mutation audit records are queued
// with room for auditBuf entries and written by DrainAudit.
func NewServer(store *kv.Store, rec *trace.Recorder, logger *log.Logger, auditBuf int) *Server {
	return &Server{store: store, rec: rec, logger: logger, auditC: make(chan auditRecord, auditBuf)}
}

// Routes returns the API handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/kv/{key}", s.handleGet)
	mux.HandleFunc("PUT /v1/kv/{key}", s.handlePut)
	mux.HandleFunc("DELETE /v1/kv/{key}", s.handleDelete)
	mux.HandleFunc("POST /v1/batch", s.handleBatch)
	mux.HandleFunc("GET /v1/watch", s.handleWatch)
	mux.HandleFunc("GET /v1/stats", s.handleStats)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	return Timing(s.rec, mux)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	defer s.rec.Track("http.get")()
	v, rev, ok := s.store.Get(r.PathValue("key"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("X-Revision", strconv.FormatInt(rev, 10))
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(v)
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer s.audit(r, "put", key) // HAZ defer-blocking-call
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxValueSize))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	rev := s.store.Put(key, body)
	w.Header().Set("X-Revision", strconv.FormatInt(rev, 10))
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer s.tryAudit(r, "delete", key)
	rev, ok := s.store.Delete(key)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("X-Revision", strconv.FormatInt(rev, 10))
	w.WriteHeader(http.StatusNoContent)
}

// audit queues an audit record for DrainAudit.
func (s *Server) audit(r *http.Request, op, key string) {
	s.auditC <- auditRecord{Op: op, Key: key, Remote: r.RemoteAddr, At: time.Now()}
}

// tryAudit queues an audit record, counting it as dropped if the queue is full.
func (s *Server) tryAudit(r *http.Request, op, key string) {
	select {
	case s.auditC <- auditRecord{Op: op, Key: key, Remote: r.RemoteAddr, At: time.Now()}:
	default:
		s.dropped.Add(1)
	}
}

type batchOp struct {
	Op    string `json:"op"`
	Key   string `json:"key"`
	Value []byte `json:"value,omitempty"`
}

func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	defer func() { s.reportPanic(w, r) }()

	var ops []batchOp
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBatchSize)).Decode(&ops); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for i, op := range ops {
		if op.Op != "put" && op.Op != "delete" {
			http.Error(w, fmt.Sprintf("op %d: unknown op %q", i, op.Op), http.StatusBadRequest)
			return
		}
	}

	txn := s.store.Write()
	defer txn.End()
	for _, op := range ops {
		if op.Op == "put" {
			txn.Put(op.Key, op.Value)
		} else {
			txn.Delete(op.Key)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// reportPanic turns a handler panic into a 500 and logs the stack.
func (s *Server) reportPanic(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		if rec == http.ErrAbortHandler {
			panic(rec)
		}
		s.logger.Printf("panic in %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

func (s *Server) handleWatch(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	events, cancel := s.store.Watch(r.URL.Query().Get("prefix"), 64)
	defer cancel()

	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-events:
			if !ok {
				return // dropped as a slow watcher; the client re-syncs
			}
			if err := enc.Encode(ev); err != nil {
				return
			}
			flusher.Flush()
		case <-keepalive.C:
			if _, err := io.WriteString(w, "\n"); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	defer s.rec.Track("http.stats") // HAZ defer-func-result-not-called
	st := s.store.Stats()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"keys":          st.Keys,
		"revision":      st.Rev,
		"compacted":     st.CompactRev,
		"watchers":      st.Watchers,
		"audit_dropped": s.dropped.Load(),
		"size_bytes":    s.store.Size(),
	})
}

// DrainAudit writes queued audit records to out until ctx is done.
func (s *Server) DrainAudit(ctx context.Context, out io.Writer) error {
	enc := json.NewEncoder(out)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case rec := <-s.auditC:
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
	}
}
