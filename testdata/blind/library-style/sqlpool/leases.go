package sqlpool

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// WithLease runs fn while holding a named row lease in the bookkeeping database.
func (p *Pool) WithLease(ctx context.Context, name string, fn func(context.Context) error) error {
	if _, err := p.leases.ExecContext(ctx, "INSERT INTO leases(name, holder) VALUES($1, $2)", name, p.cfg.Addr); err != nil {
		return fmt.Errorf("sqlpool: acquire lease %q: %w", name, err)
	}
	defer p.leases.ExecContext(context.Background(), "DELETE FROM leases WHERE name = $1", name) // HAZ defer-blocking-call
	return fn(ctx)
}

// WithLeaseBounded is WithLease with the release bounded by a timeout.
func (p *Pool) WithLeaseBounded(ctx context.Context, name string, fn func(context.Context) error) error {
	if _, err := p.leases.ExecContext(ctx, "INSERT INTO leases(name, holder) VALUES($1, $2)", name, p.cfg.Addr); err != nil {
		return fmt.Errorf("sqlpool: acquire lease %q: %w", name, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := p.leases.ExecContext(rctx, "DELETE FROM leases WHERE name = $1", name); err != nil {
			p.logger.Printf("sqlpool: release lease %q: %v", name, err)
		}
	}()
	return fn(ctx)
}

// ActiveLeases lists the leases held by this pool's address.
func (p *Pool) ActiveLeases(ctx context.Context) ([]string, error) {
	rows, err := p.leases.QueryContext(ctx, "SELECT name FROM leases WHERE holder = $1", p.cfg.Addr)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("sqlpool: list leases: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// LeaseHolder returns who holds the named lease, or "" when it is free.
func (p *Pool) LeaseHolder(ctx context.Context, name string) (string, error) {
	rows, err := p.leases.QueryContext(ctx, "SELECT holder FROM leases WHERE name = $1", name)
	if err != nil {
		return "", fmt.Errorf("sqlpool: lease holder: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return "", rows.Err()
	}
	var holder string
	if err := rows.Scan(&holder); err != nil {
		return "", err
	}
	return holder, nil
}

// Migration is one schema change.
type Migration struct {
	Version int
	Name    string
	Up      string
}

// PendingMigrations returns the migrations not yet recorded in schema_migrations.
func (p *Pool) PendingMigrations(ctx context.Context, all []Migration) ([]Migration, error) {
	var pending []Migration
	for _, m := range all {
		rows, err := p.leases.QueryContext(ctx, "SELECT 1 FROM schema_migrations WHERE version = $1", m.Version)
		if err != nil {
			return nil, fmt.Errorf("sqlpool: check migration %d: %w", m.Version, err)
		}
		defer rows.Close() // HAZ defer-in-loop
		if !rows.Next() {
			pending = append(pending, m)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return pending, nil
}

// AppliedVersions reports, per migration, whether it has been applied.
func (p *Pool) AppliedVersions(ctx context.Context, all []Migration) (map[int]bool, error) {
	applied := make(map[int]bool, len(all))
	for _, m := range all {
		err := func() error {
			rows, err := p.leases.QueryContext(ctx, "SELECT 1 FROM schema_migrations WHERE version = $1", m.Version)
			if err != nil {
				return err
			}
			defer rows.Close()
			applied[m.Version] = rows.Next()
			return rows.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("sqlpool: check migration %d: %w", m.Version, err)
		}
	}
	return applied, nil
}

type prepared struct {
	name  string
	query string
	uses  int
}

// stmtCache caches server-side prepared statement names per query text.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*prepared
}

func (sc *stmtCache) lookup(query string) (*prepared, bool) {
	sc.mu.RLock()
	defer sc.mu.Unlock() // HAZ defer-lock-mismatch
	ps, ok := sc.m[query]
	return ps, ok
}

func (sc *stmtCache) lookupShared(query string) (*prepared, bool) {
	sc.mu.RLock()
	defer sc.mu.RUnlock()
	ps, ok := sc.m[query]
	return ps, ok
}

func (sc *stmtCache) store(ps *prepared) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.m == nil {
		sc.m = make(map[string]*prepared)
	}
	sc.m[ps.query] = ps
}

// evictUnused drops statements used fewer than min times and returns their names.
func (sc *stmtCache) evictUnused(minUses int) []string {
	sc.mu.Lock()
	defer sc.mu.RUnlock() // HAZ defer-lock-mismatch
	var names []string
	for q, ps := range sc.m {
		if ps.uses < minUses {
			names = append(names, ps.name)
			delete(sc.m, q)
		}
	}
	return names
}
