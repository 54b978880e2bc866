// Package httpapi is the HTTP front end of the snapshot service.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah10/internal/catalog"
	"example.com/fah10/internal/fetch"
)

const maxObject = 64 << 20

// Config wires a Server.
type Config struct {
	Catalog  *catalog.Catalog
	Remote   *fetch.Client
	Tokens   *TokenStore
	BlobDir  string
	AuditURL string
	Logger   *log.Logger
}

// Event is published after every mutating request.
type Event struct {
	Action string
	Key    string
	At     time.Time
}

// Server serves the blob API.
type Server struct {
	cat      *catalog.Catalog
	remote   *fetch.Client
	tokens   *TokenStore
	blobDir  string
	auditURL string
	hc       *http.Client
	logger   *log.Logger
	events   chan Event
	dropped  atomic.Int64
	keys     keyLocks
	handler  http.Handler
}

// keyLocks serializes requests that modify the same key.
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// lock locks key and returns the func that unlocks it:
//
//	defer s.keys.lock(key)()
func (k *keyLocks) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = make(map[string]*sync.Mutex)
	}
	m, ok := k.locks[key]
	if !ok {
		m = new(sync.Mutex)
		k.locks[key] = m
	}
	k.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// NewServer builds the server and its routes.
func NewServer(cfg Config) *Server {
	s := &Server{
		cat:      cfg.Catalog,
		remote:   cfg.Remote,
		tokens:   cfg.Tokens,
		blobDir:  cfg.BlobDir,
		auditURL: cfg.AuditURL,
		hc:       http.DefaultClient,
		logger:   cfg.Logger,
		events:   make(chan Event, 256),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /blobs/{key}", s.handleGet)
	mux.HandleFunc("PUT /blobs/{key}", s.handlePut)
	mux.HandleFunc("DELETE /blobs/{key}", s.handleDelete)
	mux.HandleFunc("GET /blobs/{key}/stat", s.handleStat)
	mux.HandleFunc("POST /blobs/{key}/restore", s.handleRestore)
	mux.HandleFunc("GET /blobs", s.handleList)
	mux.HandleFunc("POST /heads", s.handleBatchHead)
	mux.HandleFunc("POST /restore", s.handleBatchRestore)
	mux.HandleFunc("POST /blobs/{key}/rename", s.handleRename)
	mux.HandleFunc("POST /import", s.handleImport)
	s.handler = accessLog(s.logger, recoverMiddleware(s.logger, s.auth(mux)))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Events returns the stream of published events. Events are dropped when
// nobody keeps up.
func (s *Server) Events() <-chan Event { return s.events }

// publish queues an event without ever blocking the request.
func (s *Server) publish(action, key string) {
	select {
	case s.events <- Event{Action: action, Key: key, At: time.Now()}:
	default:
		s.dropped.Add(1)
	}
}

func (s *Server) logf(format string, args ...any) { s.logger.Printf("api: "+format, args...) }

func (s *Server) blobPath(digest string) string { return filepath.Join(s.blobDir, digest) }

// audit posts an audit record to the audit service.
func (s *Server) audit(ctx context.Context, action, key string) {
	body, _ := json.Marshal(map[string]string{"action": action, "key": key})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.auditURL, bytes.NewReader(body))
	if err != nil {
		s.logf("audit: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		s.logf("audit %s %s: %v", action, key, err)
		return
	}
	resp.Body.Close()
}

// auditWithin is audit bounded by d, detached from the request's
// cancellation so that a client hang-up still gets audited.
func (s *Server) auditWithin(parent context.Context, d time.Duration, action, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), d)
	defer cancel()
	s.audit(ctx, action, key)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: encode response: %v", err)
	}
}
