// Package server implements the lease server: a TCP line protocol with one
// goroutine per connection, plus an HTTP admin endpoint.
package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"example.com/leaselock/internal/lease"
	"example.com/leaselock/internal/metrics"
	"example.com/leaselock/internal/replicate"
	"example.com/leaselock/internal/snapshot"
	"example.com/leaselock/internal/store"
	"example.com/leaselock/internal/wal"
	"example.com/leaselock/internal/watch"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("server: closed")

// Config configures a Server.
type Config struct {
	DataDir       string
	MinTTL        time.Duration
	SessionGrace  time.Duration
	IdleTimeout   time.Duration
	MaxLockWait   time.Duration
	MaxConns      int
	Peers         []string
	AuditPath     string
	TraceCommands bool
	Logger        *log.Logger
}

// Server is a lease and lock server.
type Server struct {
	cfg      Config
	logger   *log.Logger
	wal      *wal.Log
	snaps    *snapshot.Snapshotter
	leases   *lease.Manager
	locks    *store.LockTable
	hub      *watch.Hub
	repl     *replicate.Replicator
	reaper   *lease.Reaper
	auditLog *auditLogger
	panics   *metrics.Counter

	revocations     chan lease.ID
	onConnClosed    func(remote string)
	maintenanceDone map[string]func()
	keyLocks        [64]sync.Mutex
	hooks           []Hook

	mu      sync.Mutex
	ln      net.Listener
	conns   map[*conn]struct{}
	closing bool
	wg      sync.WaitGroup
}

// New opens the data directory and restores the latest snapshot.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	if cfg.MinTTL <= 0 {
		cfg.MinTTL = time.Second
	}
	if cfg.SessionGrace <= 0 {
		cfg.SessionGrace = 10 * time.Second
	}
	if cfg.MaxLockWait <= 0 {
		cfg.MaxLockWait = 30 * time.Second
	}
	w, err := wal.Open(filepath.Join(cfg.DataDir, "wal"), wal.Options{})
	if err != nil {
		return nil, err
	}
	snaps, err := snapshot.New(filepath.Join(cfg.DataDir, "snap"), 3)
	if err != nil {
		w.Close()
		return nil, err
	}
	s := &Server{
		cfg:         cfg,
		logger:      cfg.Logger,
		wal:         w,
		snaps:       snaps,
		hub:         watch.NewHub(128),
		panics:      metrics.Default.Counter("server_panics_total"),
		revocations: make(chan lease.ID),
		conns:       make(map[*conn]struct{}),
	}
	s.locks = store.NewLockTable(s.hub)
	s.leases = lease.NewManager(w, snaps, cfg.MinTTL, s.onLeaseExpired)
	s.reaper = lease.NewReaper(s.leases, cfg.MinTTL)
	s.onConnClosed = func(remote string) { s.logger.Printf("server: %s disconnected", remote) }
	s.maintenanceDone = map[string]func(){
		"snapshot": metrics.Default.Counter("maintenance_snapshot_total").Inc,
		"prune":    metrics.Default.Counter("maintenance_prune_total").Inc,
	}
	if len(cfg.Peers) > 0 {
		s.repl = replicate.New(cfg.Peers, 2*time.Second)
	}
	if cfg.AuditPath != "" {
		if s.auditLog, err = openAudit(cfg.AuditPath); err != nil {
			w.Close()
			return nil, err
		}
	}
	switch st, err := snaps.Latest(); {
	case err == nil:
		s.leases.Restore(st)
		s.locks.Restore(st.Locks)
	case !errors.Is(err, snapshot.ErrNoSnapshot):
		w.Close()
		return nil, err
	}
	return s, nil
}

// onLeaseExpired releases the locks of an expired or revoked lease and
// tells their watchers.
func (s *Server) onLeaseExpired(id lease.ID, keys []string) {
	if n := s.locks.ReleaseKeys(int64(id), keys); n > 0 {
		s.logger.Printf("server: lease %d ended, released %d locks", id, n)
	}
	s.hub.NotifyExpired(int64(id), keys, 100*time.Millisecond)
	s.runHooks(id, keys)
}

// handlePanic is deferred directly by server goroutines: it logs a panic
// with its stack and keeps the process alive.
func (s *Server) handlePanic(where string) {
	if r := recover(); r != nil {
		s.logger.Printf("server: panic in %s: %v\n%s", where, r, debug.Stack())
		s.panics.Inc()
	}
}

// Start launches the background loops; they stop when ctx is cancelled.
func (s *Server) Start(ctx context.Context) {
	defer s.handlePanic("start")
	go func() {
		defer s.handlePanic("reaper")
		s.reaper.RunContext(ctx)
	}()
	go func() {
		defer s.handlePanic("revocation loop")
		s.replicationLoop(ctx)
	}()
}

// replicationLoop forwards revocations made through the admin API to the
// followers.
func (s *Server) replicationLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-s.revocations:
			if s.repl == nil {
				continue
			}
			bctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			n, err := s.repl.Broadcast(bctx, wal.Record{Type: wal.TypeRevoke, Lease: int64(id)})
			cancel()
			if err != nil {
				s.logger.Printf("server: replicate revoke %d to %d peers: %v", id, n, err)
			}
		}
	}
}

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.ln = ln
	s.mu.Unlock()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosing() {
				return ErrServerClosed
			}
			return err
		}
		if s.cfg.MaxConns > 0 && s.connCount() >= s.cfg.MaxConns {
			s.reject(nc, "too many connections")
			continue
		}
		c := s.newConn(nc)
		s.trackConn(c, true)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			c.serve()
			s.trackConn(c, false)
		}()
	}
}

// reject tells a client that the server is full and hangs up.
func (s *Server) reject(nc net.Conn, reason string) {
	defer nc.Close()
	nc.SetWriteDeadline(time.Now().Add(time.Second))
	bw := bufio.NewWriter(nc)
	fmt.Fprintf(bw, "ERR %s\n", reason)
	if err := bw.Flush(); err != nil {
		s.logger.Printf("server: reject %s: %v", nc.RemoteAddr(), err)
	}
}

func (s *Server) trackConn(c *conn, add bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if add {
		s.conns[c] = struct{}{}
	} else {
		delete(s.conns, c)
	}
}

func (s *Server) connCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

func (s *Server) connList() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// broadcastShutdown tells every connected client that the server is going
// away, then closes its connection.
func (s *Server) broadcastShutdown() {
	var wg sync.WaitGroup
	for _, c := range s.connList() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.nc.SetWriteDeadline(time.Now().Add(time.Second))
			if err := c.writeLine("ERR shutting-down"); err != nil {
				s.logger.Printf("server: notify %s: %v", c.remote, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			c.nc.Close()
		}()
	}
	wg.Wait()
}

// Shutdown stops accepting, says goodbye to the clients, waits for the
// connection goroutines (or ctx) and closes the log.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	ln := s.ln
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	s.broadcastShutdown()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.hub.Close()
	err := s.wal.Close()
	if s.auditLog != nil {
		err = errors.Join(err, s.auditLog.Close())
	}
	return err
}

// recordAudit queues an audit entry; it never blocks.
func (s *Server) recordAudit(op, who string, err error) {
	if s.auditLog == nil {
		return
	}
	s.auditLog.record(op, who, err)
}
