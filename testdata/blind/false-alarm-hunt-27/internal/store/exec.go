package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Exec runs a statement for op and then fires the after-hook of op, for
// example to invalidate a cache.
func (s *Store) Exec(ctx context.Context, op, query string, args ...any) (sql.Result, error) {
	after := s.hooks[op]
	defer after() // HAZ defer-nil-func
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	return res, nil
}

// ExecTracked is Exec with latency metrics; ops without a hook are fine.
func (s *Store) ExecTracked(ctx context.Context, op, query string, args ...any) (sql.Result, error) {
	if after, ok := s.hooks[op]; ok && after != nil {
		defer after()
	}
	defer s.timed(op)()
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	return res, nil
}
