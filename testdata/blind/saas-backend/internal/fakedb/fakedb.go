// Package fakedb is a tiny in-memory database/sql driver used by tests,
// local development and the admin CLI's dry-run mode. Queries carry a
// leading /* op */ tag that selects a Go handler registered with Handle;
// the SQL text after the tag is documentation only.
package fakedb

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
)

// Record is one row of a fake table.
type Record map[string]driver.Value

// Result is what a handler returns: rows for queries, counts for execs.
type Result struct {
	Columns  []string
	Rows     [][]driver.Value
	Affected int64
	LastID   int64
}

// Handler executes one tagged operation against the store. It runs with the
// store's lock held.
type Handler func(s *Store, args []driver.Value) (*Result, error)

// Store is the shared state behind one DSN.
type Store struct {
	mu     sync.Mutex
	Tables map[string][]Record
	nextID int64
}

// NextID allocates a row id. Only call it from a Handler.
func (s *Store) NextID() int64 {
	s.nextID++
	return s.nextID
}

var (
	handlersMu sync.RWMutex
	handlers   = map[string]Handler{}

	storesMu sync.Mutex
	stores   = map[string]*Store{}
)

func init() { sql.Register("fakedb", Driver{}) }

// Handle registers the handler for an op tag. Registering a tag twice panics.
func Handle(op string, h Handler) {
	handlersMu.Lock()
	defer handlersMu.Unlock()
	if _, dup := handlers[op]; dup {
		panic("fakedb: duplicate handler for " + op)
	}
	handlers[op] = h
}

// Open opens a *sql.DB on the named store, creating it on first use.
func Open(name string) (*sql.DB, error) {
	return sql.Open("fakedb", name)
}

// Reset drops all data of the named store.
func Reset(name string) {
	storesMu.Lock()
	defer storesMu.Unlock()
	delete(stores, name)
}

func opName(query string) (string, bool) {
	q := strings.TrimSpace(query)
	if !strings.HasPrefix(q, "/*") {
		return "", false
	}
	end := strings.Index(q, "*/")
	if end < 0 {
		return "", false
	}
	return strings.TrimSpace(q[2:end]), true
}

func lookup(query string) (Handler, error) {
	op, ok := opName(query)
	if !ok {
		return nil, fmt.Errorf("fakedb: query has no /* op */ tag: %q", query)
	}
	handlersMu.RLock()
	defer handlersMu.RUnlock()
	h, ok := handlers[op]
	if !ok {
		return nil, fmt.Errorf("fakedb: no handler for op %q", op)
	}
	return h, nil
}

func (s *Store) run(query string, args []driver.Value) (*Result, error) {
	h, err := lookup(query)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return h(s, args)
}
