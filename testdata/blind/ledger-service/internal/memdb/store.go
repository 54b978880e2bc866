package memdb

import (
	"database/sql/driver"
	"sort"
	"sync"
)

type entry struct {
	transferID string
	account    string
	amount     int64
}

type outboxRow struct {
	id      int64
	topic   string
	payload []byte
	sent    bool
}

type state struct {
	accounts map[string]int64
	entries  []entry
	outbox   []outboxRow
	idem     map[string][]byte
	nextID   int64
}

func newState() *state {
	return &state{
		accounts: map[string]int64{},
		idem:     map[string][]byte{},
	}
}

func (s *state) clone() *state {
	c := &state{
		accounts: make(map[string]int64, len(s.accounts)),
		entries:  append([]entry(nil), s.entries...),
		outbox:   append([]outboxRow(nil), s.outbox...),
		idem:     make(map[string][]byte, len(s.idem)),
		nextID:   s.nextID,
	}
	for k, v := range s.accounts {
		c.accounts[k] = v
	}
	for k, v := range s.idem {
		c.idem[k] = v
	}
	return c
}

func (s *state) accountIDs() []string {
	ids := make([]string, 0, len(s.accounts))
	for id := range s.accounts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

type store struct {
	mu      sync.Mutex
	cur     *state
	version uint64
	closed  bool
}

func newStore() *store {
	return &store{cur: newState()}
}

// snapshot returns a private copy of the current state for a transaction.
func (s *store) snapshot() (*state, uint64, error) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.closed {
		return nil, 0, driver.ErrBadConn
	}
	work := s.cur.clone()
	v := s.version
	s.mu.Unlock()
	return work, v, nil
}

func (s *store) commit(work *state, base uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock() // ok: no calls back into the store
	if s.closed {
		return driver.ErrBadConn
	}
	if s.version != base {
		return errSerialization
	}
	s.cur = work
	s.version++
	return nil
}

func (s *store) autocommit(h *handler, args []driver.Value) (result, *rows, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return result{}, nil, driver.ErrBadConn
	}
	res, rs, err := h.fn(s.cur, args)
	if err == nil && h.write {
		s.bumpLocked() // ok: the Locked variant assumes s.mu is held
	}
	return res, rs, err
}

func (s *store) bumpLocked() { s.version++ }

func (s *store) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}

// accountCount reports the number of accounts in the committed state.
func (s *store) accountCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.cur.accounts)
}

// Stats describes a database for the debug endpoint.
type Stats struct {
	Version  uint64
	Accounts int
	Pending  int
}

// StatsFor reports statistics about the database named dsn.
func StatsFor(dsn string) (Stats, bool) {
	registryMu.Lock()
	st, ok := registry[dsn]
	registryMu.Unlock()
	if !ok {
		return Stats{}, false
	}
	return st.stats(), true
}

func (s *store) stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	pending := 0
	for _, m := range s.cur.outbox {
		if !m.sent {
			pending++
		}
	}
	return Stats{
		Version:  s.version,
		Accounts: s.accountCount(), // HAZ lock-reentry-under-defer
		Pending:  pending,
	}
}
