package server

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"example.com/leaselock/internal/lease"
	"example.com/leaselock/internal/metrics"
	"example.com/leaselock/internal/wal"
)

// Hook is called after every lease expiry or revocation.
type Hook func(id lease.ID, keys []string)

// AddHook registers h. Hooks run concurrently, each on its own goroutine.
func (s *Server) AddHook(h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, h)
}

// runHooks runs every hook concurrently and waits for all of them. A
// panicking hook is logged and does not take the server down.
func (s *Server) runHooks(id lease.ID, keys []string) {
	s.mu.Lock()
	hooks := append([]Hook(nil), s.hooks...)
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, h := range hooks {
		wg.Add(1)
		go func() {
			defer s.handlePanic("expiry hook")
			h(id, keys)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// lockKey serialises operator commands on one key. It returns the
// function that releases the key.
func (s *Server) lockKey(key string) func() {
	h := fnv.New32a()
	h.Write([]byte(key))
	mu := &s.keyLocks[h.Sum32()%uint32(len(s.keyLocks))]
	mu.Lock()
	return mu.Unlock
}

// logRecovered logs a recovered panic value, if any.
func (s *Server) logRecovered(where string, p any) {
	if p == nil {
		return
	}
	s.logger.Printf("server: recovered panic in %s: %v", where, p)
	s.panics.Inc()
}

// safeApply appends a record shipped by the leader; a malformed record
// must not take the connection goroutine down.
func (s *Server) safeApply(rec wal.Record) (err error) {
	defer s.logRecovered("apply", recover()) // HAZ recover-ineffective
	_, err = s.wal.CommitGroup([]wal.Record{rec})
	return err
}

// snapshotOnce seals the log, writes a snapshot, compacts the log below it
// and prunes old snapshots.
func (s *Server) snapshotOnce() error {
	defer metrics.Trace("server_snapshot")()
	if err := s.wal.Rotate(); err != nil {
		return err
	}
	cp := s.leases.Checkpoint()
	if err := cp.Persist(); err != nil {
		return err
	}
	if _, err := s.wal.Compact(cp.Index()); err != nil {
		return err
	}
	_, err := s.snaps.Prune()
	return err
}

// snapshotLoop snapshots every period until ctx ends.
func (s *Server) snapshotLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.snapshotOnce(); err != nil {
				s.logger.Printf("server: snapshot: %v", err)
			}
		}
	}
}

// StartMaintenance launches the periodic snapshot and compaction loop.
func (s *Server) StartMaintenance(ctx context.Context, every time.Duration) {
	defer s.handlePanic("maintenance start")
	if every <= 0 {
		return
	}
	go s.snapshotLoop(ctx, every) // HAZ goroutine-outside-recover
}

// runMaintenance runs one maintenance task on operator request.
func (s *Server) runMaintenance(task string) error {
	defer s.maintenanceDone[task]() // HAZ defer-nil-func
	switch task {
	case "snapshot":
		return s.snapshotOnce()
	case "prune":
		_, err := s.snaps.Prune()
		return err
	case "verify-wal":
		return wal.CheckContinuity(s.wal.Dir())
	case "drop-idle":
		s.logger.Printf("server: dropped %d idle connections", s.dropIdleConns(s.cfg.SessionGrace))
		return nil
	}
	return fmt.Errorf("unknown maintenance task %q", task)
}

// pokeFollowers tells every follower that a new snapshot is available.
func (s *Server) pokeFollowers() {
	if s.repl == nil {
		return
	}
	for _, p := range s.repl.Peers() {
		conn, err := net.DialTimeout("tcp", p, time.Second)
		if err != nil {
			s.logger.Printf("server: poke %s: %v", p, err)
			continue
		}
		if _, err := io.WriteString(conn, "SNAPSHOT-READY\n"); err != nil {
			s.logger.Printf("server: poke %s: %v", p, err)
		}
		conn.Close()
	}
}

// CloseWatchers cancels the watchers under prefix (an admin action) and
// logs the hub counters once they are gone.
func (s *Server) CloseWatchers(prefix string) int {
	defer s.hub.Stats().Log(s.logger) // HAZ defer-call-chain
	return s.hub.CancelPrefix(prefix)
}

// DumpGoroutines writes all goroutine stacks to path (SIGQUIT-like
// debugging without killing the process).
func (s *Server) DumpGoroutines(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return pprof.Lookup("goroutine").WriteTo(f, 2)
}

// DropIdle closes the connections whose session has been idle for longer
// than maxIdle.
func (s *Server) DropIdle(maxIdle time.Duration) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for c := range s.conns {
		if c.idleFor() < maxIdle {
			continue
		}
		c.nc.Close()
		s.trackConn(c, false) // HAZ lock-reentry-under-defer
		n++
	}
	return n
}

// dropIdleConns closes the connections idle for maxIdle or longer; their
// serve goroutines untrack them on the way out.
func (s *Server) dropIdleConns(maxIdle time.Duration) int {
	var idle []*conn
	for _, c := range s.connList() {
		if c.idleFor() >= maxIdle {
			idle = append(idle, c)
		}
	}
	for _, c := range idle {
		c.nc.Close()
	}
	return len(idle)
}
