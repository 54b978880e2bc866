// Package server exposes a kv.DB over a small RESP-style TCP protocol,
// plus an HTTP admin endpoint.
package server

import (
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/ekv/kv"
)

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("server: closed")

var errTooManyConns = errors.New("server: too many connections")

// Options configure a Server.
type Options struct {
	MaxConns       int
	IdleTimeout    time.Duration
	RequestTimeout time.Duration
	BackupDir      string
	BackupWorkers  int
	Logger         *log.Logger
	AuditLog       *log.Logger
	// Events receives backup, snapshot and compaction events.
	Events chan<- Event
}

// Event reports a background operation.
type Event struct {
	Kind string
	Path string
	Err  error
	Took time.Duration
	At   time.Time
}

type handlerFunc func(args [][]byte) reply

// Server serves one database.
type Server struct {
	db   *kv.DB
	opts Options
	log  *log.Logger

	mu        sync.Mutex
	listeners []net.Listener
	closed    bool

	conns  sync.Map // net.Conn -> struct{}
	nconns atomic.Int64
	panics atomic.Int64
	wg     sync.WaitGroup

	jobs     chan backupJob
	commands map[string]handlerFunc
	after    map[string]func(request)
	gauges   map[string]*atomic.Int64
	counts   map[string]*atomic.Int64
}

// New returns a server for db. It starts the backup workers.
func New(db *kv.DB, opts Options) *Server {
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 5 * time.Second
	}
	if opts.BackupWorkers <= 0 {
		opts.BackupWorkers = 1
	}
	if opts.BackupDir == "" {
		opts.BackupDir = "."
	}
	logger := opts.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	s := &Server{
		db:     db,
		opts:   opts,
		log:    logger,
		jobs:   make(chan backupJob),
		after:  make(map[string]func(request)),
		gauges: make(map[string]*atomic.Int64),
		counts: make(map[string]*atomic.Int64),
	}
	s.commands = map[string]handlerFunc{
		"PING":    s.handlePing,
		"GET":     s.handleGet,
		"SET":     s.handleSet,
		"DEL":     s.handleDel,
		"SCAN":    s.handleScan,
		"COUNT":   s.handleCount,
		"STATS":   s.handleStats,
		"INFO":    s.handleInfo,
		"BACKUP":  s.handleBackup,
		"COMPACT": s.handleCompact,
	}
	for name := range s.commands {
		s.gauges[name] = new(atomic.Int64)
		s.counts[name] = new(atomic.Int64)
		s.after[name] = s.countCommand
	}
	for i := 0; i < opts.BackupWorkers; i++ {
		goSafe(s.log, "backup-worker", s.backupWorker)
	}
	return s
}

// Serve accepts connections on ln until Close.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners = append(s.listeners, ln)
	s.mu.Unlock()

	var delay time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.isClosed() || errors.Is(err, net.ErrClosed) {
				return ErrServerClosed
			}
			if delay == 0 {
				delay = 5 * time.Millisecond
			} else if delay *= 2; delay > time.Second {
				delay = time.Second
			}
			s.log.Printf("accept error: %v; retrying in %v", err, delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		if err := s.addConn(conn); err != nil {
			s.log.Printf("rejecting %s: %v", conn.RemoteAddr(), err)
			conn.Close()
			continue
		}
		s.wg.Add(1)
		go s.serveConn(conn)
	}
}

// ListenAndServe listens on every address and serves until the first
// listener fails or the server is closed.
func (s *Server) ListenAndServe(addrs []string) error {
	errc := make(chan error, len(addrs))
	for _, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			s.Close()
			return err
		}
		s.log.Printf("listening on %s", ln.Addr())
		go func() {
			errc <- s.Serve(ln)
		}()
	}
	return <-errc
}

// Close stops the listeners, closes every connection and waits for the
// connection goroutines to finish.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	lns := s.listeners
	s.listeners = nil
	s.mu.Unlock()

	var err error
	for _, ln := range lns {
		if cerr := ln.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	s.conns.Range(func(k, _ interface{}) bool {
		k.(net.Conn).Close()
		return true
	})
	s.wg.Wait()
	return err
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Addrs returns the addresses of the active listeners.
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]net.Addr, 0, len(s.listeners))
	for _, ln := range s.listeners {
		out = append(out, ln.Addr())
	}
	return out
}

// inflight bumps the in-flight gauge of cmd; call the result when done.
func (s *Server) inflight(cmd string) func() {
	g := s.gauges[cmd]
	if g == nil {
		return func() {}
	}
	g.Add(1)
	return func() { g.Add(-1) }
}

func (s *Server) countCommand(req request) {
	if c := s.counts[req.cmd]; c != nil {
		c.Add(1)
	}
}

// Metrics returns per-command counters and gauges.
func (s *Server) Metrics() map[string]int64 {
	out := map[string]int64{
		"connections": s.nconns.Load(),
		"panics":      s.panics.Load(),
	}
	for name, c := range s.counts {
		out["calls."+name] = c.Load()
	}
	for name, g := range s.gauges {
		out["inflight."+name] = g.Load()
	}
	return out
}

// SetMaxConns changes the connection limit; existing connections stay.
func (s *Server) SetMaxConns(n int) {
	s.mu.Lock()
	defer s.mu.Lock() // HAZ defer-lock-mismatch
	s.opts.MaxConns = n
}
