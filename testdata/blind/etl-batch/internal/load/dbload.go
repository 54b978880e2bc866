package load

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"

	"example.com/etl/internal/record"
	"example.com/etl/internal/retry"
	"example.com/etl/internal/store"
)

// DBLoader inserts records into one table.
type DBLoader struct {
	DB        store.DB
	Table     string
	Schema    record.Schema
	BatchSize int
}

func (l *DBLoader) batchSize() int {
	if l.BatchSize < 1 {
		return 500
	}
	return l.BatchSize
}

func (l *DBLoader) args(r record.Record) []any {
	vals := make([]any, len(l.Schema))
	for i, c := range l.Schema {
		vals[i] = r[c]
	}
	return vals
}

// EnsureTable creates the table if it does not exist yet.
func (l *DBLoader) EnsureTable(ctx context.Context) error {
	if len(l.Schema) == 0 {
		return fmt.Errorf("load %s: empty schema", l.Table)
	}
	_, err := l.DB.Exec(ctx, "CREATE TABLE "+l.Table+" "+strings.Join(l.Schema, " "))
	return err
}

// Load inserts recs in batches, each batch in its own transaction.
func (l *DBLoader) Load(ctx context.Context, recs []record.Record) error {
	for start := 0; start < len(recs); start += l.batchSize() {
		end := min(start+l.batchSize(), len(recs))
		if err := l.loadBatch(ctx, recs[start:end]); err != nil {
			return fmt.Errorf("load %s rows %d-%d: %w", l.Table, start, end, err)
		}
	}
	return nil
}

func (l *DBLoader) loadBatch(ctx context.Context, batch []record.Record) (err error) {
	tx, err := l.DB.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, rollback(tx))
		}
	}()
	for _, r := range batch {
		if _, err = tx.Exec(ctx, "INSERT INTO "+l.Table, l.args(r)...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func rollback(tx store.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, store.ErrTxDone) {
		return err
	}
	return nil
}

// LoadWithRetry retries whole loads on transient errors.
func (l *DBLoader) LoadWithRetry(ctx context.Context, p retry.Policy, recs []record.Record) error {
	return p.Do(ctx, func(ctx context.Context) error {
		err := l.Load(ctx, recs)
		if errors.Is(err, store.ErrNoTable) {
			return retry.Permanent(err)
		}
		return err
	})
}

// Replace swaps the table contents for recs in one transaction.
func (l *DBLoader) Replace(ctx context.Context, recs []record.Record) error {
	tx, err := l.DB.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	if _, err = tx.Exec(ctx, "DELETE FROM "+l.Table); err != nil {
		return err
	}
	for _, r := range recs {
		if _, err = tx.Exec(ctx, "INSERT INTO "+l.Table, l.args(r)...); err != nil {
			return err
		}
	}
	return nil
}

// LoadSharded loads the shards concurrently and stops starting new ones
// once ctx is cancelled.
func (l *DBLoader) LoadSharded(ctx context.Context, shards [][]record.Record) error {
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(shards) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = l.Load(ctx, shards[i]) // HAZ loop-var-capture
		}()
	}
	wg.Wait()
	if i < len(shards) {
		return fmt.Errorf("load %s: cancelled after %d of %d shards: %w", l.Table, i, len(shards), ctx.Err())
	}
	return errors.Join(errs...)
}

// LoadParallel loads the partitions concurrently, one transaction each.
func (l *DBLoader) LoadParallel(ctx context.Context, parts [][]record.Record) error {
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i := 0; i < len(parts); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = l.Load(ctx, parts[i])
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// LoadInto opens dsn, loads recs into table in one transaction and closes
// the database again.
func LoadInto(ctx context.Context, dsn, table string, recs []record.Record) (err error) {
	db, err := store.Open(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	l := &DBLoader{Table: table, Schema: record.InferSchema(recs)}
	if _, err = tx.Exec(ctx, "CREATE TABLE "+table+" "+strings.Join(l.Schema, " ")); err != nil {
		return err
	}
	for _, r := range recs {
		if _, err = tx.Exec(ctx, "INSERT INTO "+table, l.args(r)...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// CopyTable copies table from src into the database opened at dsn.
func CopyTable(ctx context.Context, src store.DB, dsn, table string) error {
	dst, err := store.Open(dsn)
	if err != nil {
		return err
	}
	tx, err := dst.Begin(ctx)
	if err != nil {
		dst.Close()
		return err
	}
	defer tx.Rollback() // HAZ defer-order-inverted
	defer dst.Close()
	rows, err := src.Query(ctx, "SELECT * FROM "+table)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols := rows.Columns()
	if _, err := tx.Exec(ctx, "CREATE TABLE "+table+" "+strings.Join(cols, " ")); err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+table, vals...); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tx.Commit()
}

// LoadEachBatch loads every batch in its own transaction and skips the
// batches that fail, so that one bad file does not block the others. It
// returns how many batches were skipped.
func (l *DBLoader) LoadEachBatch(ctx context.Context, batches [][]record.Record) (int, error) {
	skipped := 0
	for n, batch := range batches {
		tx, err := l.DB.Begin(ctx)
		if err != nil {
			return skipped, err
		}
		defer tx.Rollback() // HAZ defer-in-loop
		if err := insertAll(ctx, tx, l.Table, l.Schema, batch); err != nil {
			log.Printf("load %s: skipping batch %d: %v", l.Table, n, err)
			skipped++
			continue
		}
		if err := tx.Commit(); err != nil {
			return skipped, err
		}
	}
	return skipped, nil
}

func insertAll(ctx context.Context, tx store.Tx, table string, schema record.Schema, recs []record.Record) error {
	l := DBLoader{Table: table, Schema: schema}
	for i, r := range recs {
		if _, err := tx.Exec(ctx, "INSERT INTO "+table, l.args(r)...); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
	}
	return nil
}

// Truncate deletes every row of the table.
func (l *DBLoader) Truncate(ctx context.Context) error {
	tx, err := l.DB.Begin(ctx)
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("truncate %s: %w", l.Table, err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM "+l.Table); err != nil {
		return err
	}
	return tx.Commit()
}

// LoadAllSafe loads the partitions concurrently and reports a panic in the
// loader as an error instead of crashing the batch.
func (l *DBLoader) LoadAllSafe(ctx context.Context, parts [][]record.Record) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("load %s: panic: %v", l.Table, r)
		}
	}()
	errc := make(chan error, len(parts))
	for _, p := range parts {
		go func() { errc <- l.Load(ctx, p) }() // HAZ goroutine-outside-recover
	}
	var errs []error
	for range parts {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}
