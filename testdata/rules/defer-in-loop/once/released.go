package once

import (
	"context"
	"database/sql"
	"os"
	"time"
)

// Each batch commits before the next one begins: the deferred Rollback only covers the early
// returns, and no transaction stays open across iterations.
func deleteBatches(ctx context.Context, db *sql.DB, batches [][]int) error {
	for _, b := range batches {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for _, id := range b {
			if _, err := tx.ExecContext(ctx, "DELETE FROM t WHERE id = ?", id); err != nil {
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// The commit is skipped for empty batches, which go round with the transaction still open.
func deleteBatchesSkipping(ctx context.Context, db *sql.DB, batches [][]int) error {
	for _, b := range batches {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() // want `transaction tx from \(\*database/sql.DB\).BeginTx on line \d+ stays open`
		if len(b) == 0 {
			continue
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// The file is closed at the end of every iteration; the defer closes it on the early returns.
func sizes(paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return 0, err
		}
		total += st.Size()
		f.Close()
	}
	return total, nil
}

// Each attempt's timeout is cancelled before the next one.
func pingAll(ctx context.Context, ping func(context.Context) error, n int) error {
	for i := 0; i < n; i++ {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if err := ping(attempt); err != nil {
			return err
		}
		cancel()
	}
	return nil
}

// The same through a literal that only rolls back.
func reindex(ctx context.Context, db *sql.DB, batches [][]int) {
	for _, b := range batches {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			continue
		}
		defer func() { _ = tx.Rollback() }()
		for _, id := range b {
			if _, err := tx.ExecContext(ctx, "UPDATE t SET n = n + 1 WHERE id = ?", id); err != nil {
				continue
			}
		}
		if err := tx.Commit(); err != nil {
			continue
		}
	}
}

// The literal does more than roll back: each one also reports, and they pile up.
func reindexReporting(ctx context.Context, db *sql.DB, batches [][]int, report func(error)) {
	for _, b := range batches {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			continue
		}
		defer func() { // want `the deferred func\(\) \{\.\.\.\}\(\) runs only when reindexReporting returns`
			report(tx.Rollback())
		}()
		if len(b) > 0 {
			_ = tx.Commit()
		}
	}
}
