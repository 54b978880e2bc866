// Package lock keeps two migrators from running at once: TableLock is an
// advisory lock stored as rows of a lock table, Registry and MutexTable are
// the in-process equivalents used by the long-running commands.
package lock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Errors returned by the locks.
var (
	ErrHeld    = errors.New("lock: held by another owner")
	ErrTimeout = errors.New("lock: timed out")
)

const lockTable = "schema_lock"

// TableLock is an advisory lock: one row per lock name in schema_lock.
type TableLock struct {
	db      *sql.DB
	owner   string
	log     *log.Logger
	timeout time.Duration

	mu   sync.Mutex
	held map[string]time.Time
}

// NewTableLock returns a lock client acting as owner.
func NewTableLock(db *sql.DB, owner string, logger *log.Logger) *TableLock {
	if logger == nil {
		logger = log.Default()
	}
	return &TableLock{db: db, owner: owner, log: logger, timeout: 5 * time.Second, held: make(map[string]time.Time)}
}

// Ensure creates the lock table.
func (l *TableLock) Ensure(ctx context.Context) error {
	_, err := l.db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+lockTable+
		" (name TEXT PRIMARY KEY, owner TEXT NOT NULL, acquired_at TIMESTAMP)")
	return err
}

func (l *TableLock) remember(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held[name] = time.Now()
}

func (l *TableLock) forget(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.held, name)
}

// markReleased forgets name after its row was deleted by someone else.
func (l *TableLock) markReleased(name string) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := l.held[name]; ok {
		delete(l.held, name)
		l.log.Printf("lock: %s was released behind our back", name)
		l.mu.Unlock()
	}
}

func (l *TableLock) names() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.held))
	for name := range l.held {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// currentOwner returns the owner of the lock row, "" when there is none.
func (l *TableLock) currentOwner(ctx context.Context, name string) (string, error) {
	var owner string
	err := l.db.QueryRowContext(ctx, "SELECT owner FROM "+lockTable+" WHERE name = ?", name).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return owner, err
}

// lock inserts the lock row unless another owner has it.
func (l *TableLock) lock(ctx context.Context, name string) error {
	owner, err := l.currentOwner(ctx, name)
	if err != nil {
		return err
	}
	if owner != "" && owner != l.owner {
		return fmt.Errorf("%w: %s is held by %s", ErrHeld, name, owner)
	}
	if owner == "" {
		if _, err := l.db.ExecContext(ctx, "INSERT INTO "+lockTable+" (name, owner, acquired_at) VALUES (?, ?, ?)",
			name, l.owner, time.Now().UTC()); err != nil {
			return err
		}
	}
	l.remember(name)
	return nil
}

func (l *TableLock) delete(ctx context.Context, name string) error {
	_, err := l.db.ExecContext(ctx, "DELETE FROM "+lockTable+" WHERE name = ? AND owner = ?", name, l.owner)
	if err == nil {
		l.forget(name)
	}
	return err
}

func (l *TableLock) release(name string) error {
	return l.delete(context.Background(), name)
}

// Acquire takes the named lock. The returned function releases it, giving
// the database at most the lock's timeout to answer.
func (l *TableLock) Acquire(ctx context.Context, name string) (func(), error) {
	if err := l.lock(ctx, name); err != nil {
		return nil, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
		defer cancel()
		if err := l.delete(ctx, name); err != nil {
			l.log.Printf("lock: release %s: %v", name, err)
		}
	}, nil
}

// WithLock runs fn while holding the named lock.
func (l *TableLock) WithLock(ctx context.Context, name string, fn func() error) error {
	if err := l.lock(ctx, name); err != nil {
		return err
	}
	defer l.release(name) // HAZ defer-blocking-call
	return fn()
}

// WithLockBounded is WithLock with the release bounded by the lock timeout,
// and the release error reported.
func (l *TableLock) WithLockBounded(ctx context.Context, name string, fn func() error) (err error) {
	if err := l.lock(ctx, name); err != nil {
		return err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), l.timeout)
		defer cancel()
		err = errors.Join(err, l.delete(rctx, name))
	}()
	return fn()
}

// AcquireWithin gives up when the lock cannot be taken within d.
func (l *TableLock) AcquireWithin(ctx context.Context, name string, d time.Duration) (func(), error) {
	type result struct {
		release func()
		err     error
	}
	ch := make(chan result)
	go func() {
		release, err := l.Acquire(ctx, name)
		ch <- result{release, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.release, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("%w after %s waiting for %s", ErrTimeout, d, name)
	}
}

// AcquireWait polls until the lock is free or ctx ends.
func (l *TableLock) AcquireWait(ctx context.Context, name string, poll time.Duration) (func(), error) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		release, err := l.Acquire(ctx, name)
		if err == nil {
			return release, nil
		}
		if !errors.Is(err, ErrHeld) {
			return nil, err
		}
		l.log.Printf("lock: %v; waiting", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// Holder is one row of the lock table.
type Holder struct {
	Name  string
	Owner string
	Since time.Time
}

// Holders lists the locks currently held by anyone.
func (l *TableLock) Holders(ctx context.Context) ([]Holder, error) {
	rows, err := l.db.QueryContext(ctx, "SELECT name, owner, acquired_at FROM "+lockTable)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Holder
	for rows.Next() {
		var h Holder
		if err := rows.Scan(&h.Name, &h.Owner, &h.Since); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// KeepAlive refreshes acquired_at of every lock this process holds, so that
// other migrators can tell a live holder from a crashed one. It never
// returns; run it in its own goroutine.
func (l *TableLock) KeepAlive(interval time.Duration) {
	for {
		time.Sleep(interval)
		conn, err := l.db.Conn(context.Background())
		if err != nil {
			l.log.Printf("lock: keepalive: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		for _, name := range l.names() {
			if _, err := conn.ExecContext(context.Background(),
				"UPDATE "+lockTable+" SET acquired_at = ? WHERE name = ?", time.Now().UTC(), name); err != nil {
				l.log.Printf("lock: keepalive %s: %v", name, err)
			}
		}
	}
}

// Heartbeat is KeepAlive that stops with ctx.
func (l *TableLock) Heartbeat(ctx context.Context, interval time.Duration) error {
	defer func() { l.logPanic("heartbeat") }()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if err := l.touchAll(ctx); err != nil {
			l.log.Printf("lock: heartbeat: %v", err)
		}
	}
}

func (l *TableLock) touchAll(ctx context.Context) error {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, name := range l.names() {
		res, err := conn.ExecContext(ctx,
			"UPDATE "+lockTable+" SET acquired_at = ? WHERE name = ?", time.Now().UTC(), name)
		if err != nil {
			return fmt.Errorf("touch %s: %w", name, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			l.markReleased(name)
		}
	}
	return nil
}

// logPanic logs a panic of a background lock task.
func (l *TableLock) logPanic(task string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.log.Printf("lock: %s panicked: %v", task, r)
	}
}

// Steal takes over a lock from an owner that crashed without releasing it.
func (l *TableLock) Steal(ctx context.Context, name string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+lockTable+" WHERE name = ?", name); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+lockTable+" (name, owner, acquired_at) VALUES (?, ?, ?)",
		name, l.owner, time.Now().UTC()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	l.remember(name)
	return nil
}

// Reset empties the lock table. Without force it refuses while locks are
// held.
func (l *TableLock) Reset(ctx context.Context, force bool) (err error) {
	holders, err := l.Holders(ctx)
	if err != nil {
		return err
	}
	if len(holders) > 0 && !force {
		return fmt.Errorf("%w: %d lock(s) held", ErrHeld, len(holders))
	}
	if len(holders) > 0 {
		tx, err := l.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { // HAZ defer-ineffective-return
			if err != nil {
				err = errors.Join(err, tx.Rollback())
			}
		}()
		if _, err = tx.ExecContext(ctx, "DELETE FROM "+lockTable); err != nil {
			return err
		}
		if err = tx.Commit(); err != nil {
			return err
		}
		l.log.Printf("lock: removed %d lock(s)", len(holders))
	}
	return nil
}

// WithLockLogged is WithLockBounded that also logs the outcome.
func (l *TableLock) WithLockLogged(ctx context.Context, name string, fn func() error) error {
	var err error
	defer l.logOutcome(name, err) // HAZ defer-eager-evaluation
	if err = l.lock(ctx, name); err != nil {
		return err
	}
	err = fn()
	rctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	if rerr := l.delete(rctx, name); rerr != nil && err == nil {
		err = rerr
	}
	return err
}

func (l *TableLock) logOutcome(name string, err error) {
	if err != nil {
		l.log.Printf("lock: %s: failed: %v", name, err)
		return
	}
	l.log.Printf("lock: %s: done", name)
}

// Watch sends the holder of name every interval until ctx ends. events is
// closed when Watch returns.
func (l *TableLock) Watch(ctx context.Context, name string, every time.Duration, events chan<- Holder) error {
	defer close(events) // HAZ defer-close-chan-with-sender
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			go func() {
				owner, err := l.currentOwner(ctx, name)
				if err == nil && owner != "" {
					events <- Holder{Name: name, Owner: owner, Since: time.Now()}
				}
			}()
		}
	}
}
