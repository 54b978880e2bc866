package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// ErrDryRun reports that a step was only simulated.
var ErrDryRun = errors.New("migrate: dry run")

// releaseLock releases the advisory lock and returns the session to the pool.
func (m *Migrator) releaseLock(ctx context.Context, id int64) error {
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("release lock %d: %w", id, err)
	}
	defer func() error {
		if cerr := conn.Close(); cerr != nil {
			m.logger.Printf("release lock %d: closing session: %v", id, cerr)
			return fmt.Errorf("release session: %w", cerr) // HAZ defer-ineffective-return
		}
		return nil
	}()
	_, err = conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", id)
	return err
}

// applyStep runs one migration body and records it, committing on success.
func (m *Migrator) applyStep(ctx context.Context, st Step) error {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("step %d: begin: %w", st.Version, err)
	}
	defer func() {
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil {
				m.logger.Printf("step %d: rollback: %v", st.Version, rbErr)
			}
			return
		}
		err = tx.Commit() // HAZ defer-ineffective-return
	}()

	body, err := m.readMigrationChecked(st.Name)
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("step %d: exec: %w", st.Version, err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO "+m.table+" (version, dirty) VALUES ($1, false)", st.Version)
	return err
}

// MarkClean clears the dirty flag of version.
func (m *Migrator) MarkClean(ctx context.Context, version int) (err error) {
	if tx, err := m.db.BeginTx(ctx, nil); err == nil {
		defer func() {
			if err != nil {
				_ = tx.Rollback()
				return
			}
			err = tx.Commit() // HAZ defer-ineffective-return
		}()
		_, err = tx.ExecContext(ctx, "UPDATE "+m.table+" SET dirty = false WHERE version = $1", version)
		return err
	} else {
		return fmt.Errorf("mark clean %d: begin: %w", version, err)
	}
}

// Checksum computes the CRC of a migration file.
func (m *Migrator) Checksum(name string) (uint32, error) {
	f, err := os.Open(filepath.Join(m.dir, name))
	if err != nil {
		return 0, err
	}
	var closeErr error
	defer func() {
		closeErr = f.Close() // HAZ defer-ineffective-return
	}()
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, f); err != nil {
		return 0, fmt.Errorf("checksum %s: %w", name, err)
	}
	if closeErr != nil {
		return 0, closeErr
	}
	return h.Sum32(), nil
}

// runHook runs a user hook and converts its panic into an error (or so it intends).
func (m *Migrator) runHook(ctx context.Context, name string, hook func(context.Context) error) error {
	defer func() error {
		if r := recover(); r != nil {
			m.logger.Printf("hook %s panicked: %v", name, r)
			return fmt.Errorf("hook %s: panic: %v", name, r) // HAZ defer-ineffective-return
		}
		return nil
	}()
	m.logger.Printf("running hook %s", name)
	return hook(ctx)
}

// InTx runs fn in a transaction and commits when fn succeeds.
func InTx[T any](ctx context.Context, db *sql.DB, fn func(*sql.Tx) (T, error)) (T, error) {
	var zero T
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return zero, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit() // HAZ defer-ineffective-return
	}()
	res, err := fn(tx)
	if err != nil {
		return zero, err
	}
	return res, nil
}

// StepRunner runs a single step, optionally as a dry run.
type StepRunner struct {
	m      *Migrator
	dryRun bool
}

// Run executes st inside a transaction; dry runs are rolled back.
func (r StepRunner) Run(ctx context.Context, st Step) (int64, error) {
	tx, err := r.m.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	if r.dryRun {
		defer func() (int64, error) {
			r.m.logger.Printf("dry run: rolling back step %d", st.Version)
			return 0, errors.Join(ErrDryRun, tx.Rollback()) // HAZ defer-ineffective-return
		}()
	}
	res, err := tx.ExecContext(ctx, st.SQL)
	if err != nil {
		_ = tx.Rollback()
		return 0, err
	}
	if !r.dryRun {
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return res.RowsAffected()
}

// ---- negatives ----

// exportSchema streams the schema dump and reports a close failure via the named result.
func (m *Migrator) exportSchema(ctx context.Context, w io.Writer) (n int64, err error) {
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer func() {
		err = errors.Join(err, conn.Close()) // ok: err is the named result
	}()
	var ddl string
	if err := conn.QueryRowContext(ctx, "SELECT pg_catalog.pg_get_tabledef($1)", m.table).Scan(&ddl); err != nil {
		return 0, err
	}
	written, err := io.WriteString(w, ddl)
	return int64(written), err
}

// runHookSafe converts a hook panic into the named error result.
func (m *Migrator) runHookSafe(ctx context.Context, name string, hook func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			m.logger.Printf("hook %s panicked: %v", name, r)
			err = fmt.Errorf("hook %s: panic: %v", name, r) // ok: named result
		}
	}()
	return hook(ctx)
}

// ApplyReport applies steps and logs the slowest ones when done.
func (m *Migrator) ApplyReport(ctx context.Context, steps []Step) error {
	took := make(map[int]time.Duration, len(steps))
	defer func() {
		versions := make([]int, 0, len(took))
		for v := range took {
			versions = append(versions, v)
		}
		sort.Slice(versions, func(i, j int) bool {
			return took[versions[i]] > took[versions[j]] // ok: returns from the comparator, not the deferred func
		})
		if len(versions) > 3 {
			versions = versions[:3]
		}
		for _, v := range versions {
			m.logger.Printf("slow step %d: %s", v, took[v])
		}
	}()
	for _, st := range steps {
		start := time.Now()
		if err := m.applyStepNamed(ctx, st); err != nil {
			return err
		}
		took[st.Version] = time.Since(start)
	}
	return nil
}

// applyStepNamed is applyStep with a named result so the commit error is kept.
func (m *Migrator) applyStepNamed(ctx context.Context, st Step) (err error) {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			return // ok: bare return, no values
		}
		err = tx.Commit() // ok: named result
	}()
	_, err = tx.ExecContext(ctx, st.SQL)
	return err
}

// cleanupLocks releases every lock and remembers the last failure on the Migrator.
func (m *Migrator) cleanupLocks(ctx context.Context, ids []int64) {
	var failed int
	defer func() {
		if failed > 0 {
			m.lastErr = fmt.Errorf("cleanup: %d locks not released", failed) // ok: field outlives the call
		}
	}()
	for _, id := range ids {
		if err := m.releaseLockChecked(ctx, id); err != nil {
			failed++
		}
	}
}

func (m *Migrator) releaseLockChecked(ctx context.Context, id int64) (err error) {
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer closeInto(&err, conn)
	_, err = conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", id)
	return err
}

// closeInto closes c and joins its error into *errp.
func closeInto(errp *error, c io.Closer) {
	*errp = errors.Join(*errp, c.Close())
}

// scanVersion reads one version, reporting close errors through an out pointer.
func (m *Migrator) scanVersion(ctx context.Context, outErr *error) int {
	rows, err := m.db.QueryContext(ctx, "SELECT max(version) FROM "+m.table)
	if err != nil {
		*outErr = err
		return 0
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && *outErr == nil {
			*outErr = cerr // ok: writes through the caller's pointer
		}
	}()
	v := 0
	for rows.Next() {
		if err := rows.Scan(&v); err != nil {
			*outErr = err
			break
		}
	}
	return v
}

// InTxNamed is InTx with named results so the commit error reaches the caller.
func InTxNamed[T any](ctx context.Context, db *sql.DB, fn func(*sql.Tx) (T, error)) (res T, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit() // ok: named result
	}()
	return fn(tx)
}

// RunOneOff opens a DB for a single statement; the tx is rolled back before the DB closes.
func RunOneOff(ctx context.Context, driver, dsn, stmt string) error {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close() // ok: registered first, runs last
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // ok: runs before db.Close
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("one-off: %w", err)
	}
	return tx.Commit()
}
