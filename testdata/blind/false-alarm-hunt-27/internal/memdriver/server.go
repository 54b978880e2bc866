// Package memdriver is a small in-process database/sql driver used by the
// store tests and the seed tool. Tables are slices of rows kept by a Server;
// every sql.DB opened with the same DSN talks to the same Server.
package memdriver

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sort"
	"sync"
)

// Name is the driver name to pass to sql.Open.
const Name = "memwire"

var (
	registerOnce sync.Once

	registryMu sync.Mutex
	registry   = map[string]*Server{}
)

// Register installs the driver under Name. It is safe to call from many
// goroutines and many times; only the first call registers.
func Register() {
	registerOnce.Do(func() {
		sql.Register(Name, Driver{})
	})
}

// Server holds the tables for one DSN.
type Server struct {
	name string

	mu     sync.RWMutex
	tables map[string][][]driver.Value
	down   bool
	faults int // upcoming row reads that panic, for fault injection
}

// NewServer creates the server for dsn, or returns the existing one.
func NewServer(dsn string) *Server {
	registryMu.Lock()
	defer registryMu.Unlock()
	if s, ok := registry[dsn]; ok {
		return s
	}
	s := &Server{name: dsn, tables: map[string][][]driver.Value{}}
	registry[dsn] = s
	return s
}

func lookup(dsn string) (*Server, bool) {
	registryMu.Lock()
	s, ok := registry[dsn]
	registryMu.Unlock()
	return s, ok
}

// Shutdown removes the server from the registry and marks it down; open
// connections fail with driver.ErrBadConn from now on.
func (s *Server) Shutdown() {
	registryMu.Lock()
	if registry[s.name] == s {
		delete(registry, s.name)
	}
	registryMu.Unlock()

	s.mu.Lock()
	s.down = true
	s.mu.Unlock()
}

// InjectFaults makes the next n row reads panic, imitating a driver bug
// triggered by a corrupted frame on the wire.
func (s *Server) InjectFaults(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 0 {
		n = 0
	}
	s.faults += n
}

// takeFault reports whether the current row read should fail.
func (s *Server) takeFault() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults == 0 {
		return false
	}
	s.faults--
	return true
}

func (s *Server) isDown() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.down
}

// Tables lists the table names in lexical order.
func (s *Server) Tables() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.tables))
	for name := range s.tables {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (s *Server) insert(table string, row []driver.Value) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return 0, driver.ErrBadConn
	}
	s.tables[table] = append(s.tables[table], row)
	return int64(len(s.tables[table])), nil
}

func (s *Server) snapshot(table string) ([][]driver.Value, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.down {
		return nil, driver.ErrBadConn
	}
	rows, ok := s.tables[table]
	if !ok {
		return nil, fmt.Errorf("memwire: no such table %q", table)
	}
	out := make([][]driver.Value, len(rows))
	copy(out, rows)
	return out, nil
}

func (s *Server) truncate(table string) (int64, error) {
	s.mu.Lock()
	if s.down {
		s.mu.Unlock()
		return 0, driver.ErrBadConn
	}
	n := int64(len(s.tables[table]))
	if n > 0 {
		s.tables[table] = s.tables[table][:0]
	}
	s.mu.Unlock()
	return n, nil
}

// DropTables removes the named tables; it stops at the first unknown one.
func (s *Server) DropTables(names ...string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	for _, name := range names {
		if _, ok := s.tables[name]; !ok {
			return fmt.Errorf("memwire: no such table %q", name)
		}
		delete(s.tables, name)
	}
	s.mu.Unlock()
	return nil
}

// Reset empties every table, keeping the table names.
func (s *Server) Reset() int {
	s.mu.Lock()
	n := 0
	for name, rows := range s.tables {
		n += len(rows)
		s.tables[name] = nil
	}
	s.faults = 0
	s.mu.Unlock()
	return n
}
