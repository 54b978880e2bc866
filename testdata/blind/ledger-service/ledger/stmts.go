package ledger

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps prepared statements for the hot read paths.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

func queryAccounts(ctx context.Context, st *sql.Stmt) ([]Account, error) {
	rows, err := st.QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanAccounts(rows)
}

func queryEntries(ctx context.Context, st *sql.Stmt, id string) ([]Entry, error) {
	rows, err := st.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanEntries(rows)
}

// Dump calls fn for every account with its entries.
func (s *Store) Dump(ctx context.Context, fn func(Account, []Entry) error) error {
	stmt, err := s.db.PrepareContext(ctx, sqlAccounts)
	if err != nil {
		return err
	}
	defer stmt.Close() // HAZ defer-eager-evaluation
	accts, err := queryAccounts(ctx, stmt)
	if err != nil {
		return err
	}
	stmt, err = s.db.PrepareContext(ctx, sqlEntriesFor)
	if err != nil {
		return err
	}
	for _, a := range accts {
		es, err := queryEntries(ctx, stmt, a.ID)
		if err != nil {
			return err
		}
		if err := fn(a, es); err != nil {
			return err
		}
	}
	return nil
}

// DumpAll is Dump with one statement variable per query.
func (s *Store) DumpAll(ctx context.Context, fn func(Account, []Entry) error) error {
	list, err := s.db.PrepareContext(ctx, sqlAccounts)
	if err != nil {
		return err
	}
	defer list.Close()
	entries, err := s.db.PrepareContext(ctx, sqlEntriesFor)
	if err != nil {
		return err
	}
	defer entries.Close()
	accts, err := queryAccounts(ctx, list)
	if err != nil {
		return err
	}
	for _, a := range accts {
		es, err := queryEntries(ctx, entries, a.ID)
		if err != nil {
			return err
		}
		if err := fn(a, es); err != nil {
			return err
		}
	}
	return nil
}

// Statements returns the entries of many accounts using one prepared statement.
func (s *Store) Statements(ctx context.Context, ids []string) (map[string][]Entry, error) {
	st, err := s.db.PrepareContext(ctx, sqlEntriesFor)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	out := make(map[string][]Entry, len(ids))
	for _, id := range ids {
		if err := func() error {
			rows, err := st.QueryContext(ctx, id)
			if err != nil {
				return err
			}
			defer rows.Close() // ok: one rows per closure call
			es, err := scanEntries(rows)
			out[id] = es
			return err
		}(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
