package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"sync/atomic"
	"time"
)

// Locker serialises migrators across processes.
type Locker interface {
	Acquire(ctx context.Context, name string) (release func(), err error)
}

// Options configure a Migrator.
type Options struct {
	Table    string
	NoLock   bool
	LockName string
	Logger   *log.Logger
}

// Stats counts what a Migrator did.
type Stats struct {
	Applied  int
	Reverted int
	Failed   int
}

// Print writes a one-line summary.
func (s Stats) Print(w io.Writer) {
	fmt.Fprintf(w, "applied=%d reverted=%d failed=%d\n", s.Applied, s.Reverted, s.Failed)
}

// Migrator applies and reverts migrations.
type Migrator struct {
	db     *sql.DB
	hist   *History
	locker Locker
	hooks  *Hooks
	opts   Options
	log    *log.Logger

	applied  atomic.Int64
	reverted atomic.Int64
	failed   atomic.Int64
}

// New returns a Migrator. locker may be nil when opts.NoLock is set.
func New(db *sql.DB, locker Locker, opts Options) *Migrator {
	logger := opts.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	if opts.LockName == "" {
		opts.LockName = "schema-migrator"
	}
	return &Migrator{
		db:     db,
		hist:   NewHistory(db, opts.Table),
		locker: locker,
		hooks:  NewHooks(logger),
		opts:   opts,
		log:    logger,
	}
}

// Hooks returns the hook registry of the migrator.
func (m *Migrator) Hooks() *Hooks { return m.hooks }

// History returns the history table accessor.
func (m *Migrator) History() *History { return m.hist }

// Stats returns the counters as they are now.
func (m *Migrator) Stats() Stats {
	return Stats{
		Applied:  int(m.applied.Load()),
		Reverted: int(m.reverted.Load()),
		Failed:   int(m.failed.Load()),
	}
}

// Pending returns the migrations not yet applied, in order. It fails when an
// applied migration was edited afterwards.
func (m *Migrator) Pending(ctx context.Context, migs []Migration) ([]Migration, error) {
	applied, err := m.hist.Applied(ctx)
	if err != nil {
		return nil, err
	}
	var pending []Migration
	for _, mig := range migs {
		a, ok := applied[mig.Version]
		if !ok {
			pending = append(pending, mig)
			continue
		}
		if a.Checksum != mig.Checksum() {
			return nil, fmt.Errorf("migrate: %s was edited after it was applied (checksum %s, now %s)",
				mig, short(a.Checksum), short(mig.Checksum()))
		}
	}
	return pending, nil
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

// Up applies every pending migration under the advisory lock.
func (m *Migrator) Up(ctx context.Context, migs []Migration) error {
	var release func()
	if !m.opts.NoLock {
		r, err := m.locker.Acquire(ctx, m.opts.LockName)
		if err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	pending, err := m.Pending(ctx, migs)
	if err != nil {
		return err
	}
	for _, mig := range pending {
		if err := m.step(ctx, mig); err != nil {
			return fmt.Errorf("migrate: %s: %w", mig, err)
		}
	}
	m.log.Printf("%d migration(s) applied", len(pending))
	return nil
}

// UpTo applies pending migrations up to and including target.
func (m *Migrator) UpTo(ctx context.Context, migs []Migration, target int64) error {
	release := func() {}
	if !m.opts.NoLock {
		r, err := m.locker.Acquire(ctx, m.opts.LockName)
		if err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		release = r
	}
	defer release()
	pending, err := m.Pending(ctx, migs)
	if err != nil {
		return err
	}
	for _, mig := range pending {
		if mig.Version > target {
			break
		}
		if err := m.step(ctx, mig); err != nil {
			return fmt.Errorf("migrate: %s: %w", mig, err)
		}
	}
	return nil
}

// Down reverts the last steps applied migrations, newest first.
func (m *Migrator) Down(ctx context.Context, migs []Migration, steps int) error {
	applied, err := m.hist.Applied(ctx)
	if err != nil {
		return err
	}
	victims := selectRevert(migs, applied, steps)
	if len(victims) == 0 {
		m.log.Printf("nothing to revert")
		return nil
	}
	done := 0
	for _, mig := range victims {
		if err := m.revertTx(ctx, mig); err != nil {
			return fmt.Errorf("migrate: revert %s: %w", mig, err)
		}
		defer func() { m.log.Printf("reverted %s", mig) }() // HAZ defer-in-loop loop-var-capture
		done++
	}
	m.log.Printf("%d of %d migration(s) reverted", done, len(victims))
	return nil
}

func selectRevert(migs []Migration, applied map[int64]AppliedMigration, steps int) []Migration {
	var out []Migration
	for i := len(migs) - 1; i >= 0 && len(out) < steps; i-- {
		if _, ok := applied[migs[i].Version]; ok {
			out = append(out, migs[i])
		}
	}
	return out
}

// step runs the before hooks and applies one migration, then records the
// outcome in the stats and the log.
func (m *Migrator) step(ctx context.Context, mig Migration) error {
	start := time.Now()
	var err error
	defer m.observe(mig, start, err) // HAZ defer-eager-evaluation
	if err = m.hooks.Run(ctx, BeforeEach, mig); err != nil {
		return err
	}
	err = m.applyOne(ctx, mig)
	return err
}

func (m *Migrator) observe(mig Migration, start time.Time, err error) {
	took := time.Since(start).Round(time.Millisecond)
	if err != nil {
		m.failed.Add(1)
		m.log.Printf("FAIL %s after %s: %v", mig, took, err)
		return
	}
	m.applied.Add(1)
	m.log.Printf("ok   %s (%s)", mig, took)
}

// Apply applies a single migration and turns a panic in a hook or in the
// driver into an error.
func (m *Migrator) Apply(ctx context.Context, mig Migration) (err error) {
	defer func() {
		describe := func() error {
			if r := recover(); r != nil { // HAZ recover-ineffective
				return fmt.Errorf("migrate: panic while applying %s: %v", mig, r)
			}
			return nil
		}
		err = errors.Join(err, describe())
	}()
	return m.step(ctx, mig)
}

func (m *Migrator) applyOne(ctx context.Context, mig Migration) error {
	defer m.trace("apply " + mig.String()) // HAZ defer-func-result-not-called
	if strings.TrimSpace(mig.UpSQL) == "" {
		return fmt.Errorf("migrate: %s: empty up script", mig)
	}
	if err := m.applyTx(ctx, mig); err != nil {
		return err
	}
	return m.hooks.Run(ctx, AfterEach, mig)
}

// trace logs the start of op and returns the function that logs its end.
func (m *Migrator) trace(op string) func() {
	start := time.Now()
	m.log.Printf("-> %s", op)
	return func() {
		m.log.Printf("<- %s (%s)", op, time.Since(start).Round(time.Millisecond))
	}
}

// applyTx runs the up script and the history insert in one transaction.
func (m *Migrator) applyTx(ctx context.Context, mig Migration) error {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil {
				err = fmt.Errorf("%w (rollback failed: %v)", err, rbErr)
			}
		}
	}()
	for i, stmt := range Statements(mig.UpSQL) {
		if _, err = tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("statement %d: %w", i+1, err)
		}
	}
	if err = m.hist.record(ctx, tx, mig); err != nil {
		return err
	}
	return tx.Commit()
}

// revertTx runs the down script and removes the history row in one
// transaction.
func (m *Migrator) revertTx(ctx context.Context, mig Migration) (err error) {
	defer m.trace("revert " + mig.String())()
	if strings.TrimSpace(mig.DownSQL) == "" {
		return fmt.Errorf("migrate: %s is irreversible", mig)
	}
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err == nil {
			return
		}
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			err = errors.Join(err, rbErr)
		}
	}()
	for _, stmt := range Statements(mig.DownSQL) {
		if _, err = tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if err = m.hist.forget(ctx, tx, mig.Version); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return err
	}
	m.reverted.Add(1)
	return nil
}

// Baseline marks every migration up to upTo as applied without running it,
// for databases that were created before the migrator was introduced.
func (m *Migrator) Baseline(ctx context.Context, migs []Migration, upTo int64) (err error) {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	for _, mig := range migs {
		if mig.Version > upTo {
			break
		}
		if err = m.hist.record(ctx, tx, mig); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Ping checks that the database answers within the given time.
func (m *Migrator) Ping(ctx context.Context, within time.Duration) error {
	done := make(chan error)
	go func() { done <- m.db.PingContext(ctx) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		return err
	case <-time.After(within):
		return fmt.Errorf("migrate: database did not answer within %s", within)
	}
}

// Healthy is Ping with the deadline also passed down to the driver.
func (m *Migrator) Healthy(ctx context.Context, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- m.db.PingContext(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("migrate: database did not answer within %s: %w", within, ctx.Err())
	}
}

// Session runs fn on one dedicated connection, for statements that depend
// on session state such as SET search_path or temporary tables.
func (m *Migrator) Session(ctx context.Context, fn func(conn *sql.Conn) error) error {
	conn, err := m.db.Conn(ctx)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return fn(conn)
}

// UpAndSettle is Up followed by a pause that gives replicas time to apply
// the DDL before the application's new version starts.
func (m *Migrator) UpAndSettle(ctx context.Context, migs []Migration, settle time.Duration) error {
	defer time.Sleep(settle) // HAZ defer-blocking-call
	return m.UpTo(ctx, migs, 1<<62)
}
