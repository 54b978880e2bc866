package batch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// InsertChunks inserts rows with one multi-row statement per chunk.
func InsertChunks(ctx context.Context, db *sql.DB, table string, cols []string, rows [][]any, chunk int) error {
	for start := 0; start < len(rows); start += chunk {
		end := min(start+chunk, len(rows))
		stmt, err := db.PrepareContext(ctx, multiRowInsert(table, cols, end-start))
		if err != nil {
			return err
		}
		defer stmt.Close() // HAZ defer-in-loop
		if _, err := stmt.ExecContext(ctx, flatten(rows[start:end])...); err != nil {
			return fmt.Errorf("batch: chunk at %d: %w", start, err)
		}
	}
	return nil
}

// InsertChunksScoped is InsertChunks with each statement closed when its
// chunk is done.
func InsertChunksScoped(ctx context.Context, db *sql.DB, table string, cols []string, rows [][]any, chunk int) error {
	for start := 0; start < len(rows); start += chunk {
		end := min(start+chunk, len(rows))
		err := func() error {
			stmt, err := db.PrepareContext(ctx, multiRowInsert(table, cols, end-start))
			if err != nil {
				return err
			}
			defer stmt.Close()
			_, err = stmt.ExecContext(ctx, flatten(rows[start:end])...)
			return err
		}()
		if err != nil {
			return fmt.Errorf("batch: chunk at %d: %w", start, err)
		}
	}
	return nil
}

// InsertOne inserts a single row and returns its id.
func InsertOne(ctx context.Context, db *sql.DB, table string, cols []string, vals []any) (int64, error) {
	stmt, err := db.PrepareContext(ctx, multiRowInsert(table, cols, 1))
	defer stmt.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	res, err := stmt.ExecContext(ctx, vals...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// InsertReturning inserts a single row and returns its id, checking the
// prepare error first.
func InsertReturning(ctx context.Context, db *sql.DB, table string, cols []string, vals []any) (int64, error) {
	stmt, err := db.PrepareContext(ctx, multiRowInsert(table, cols, 1))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	res, err := stmt.ExecContext(ctx, vals...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func shardOf(rows [][]any, w, workers int) [][]any {
	per := (len(rows) + workers - 1) / workers
	start := min(w*per, len(rows))
	end := min(start+per, len(rows))
	return rows[start:end]
}

// ParallelLoad splits rows over workers goroutines.
func ParallelLoad(ctx context.Context, db *sql.DB, table string, cols []string, rows [][]any, workers int) error {
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			shard := shardOf(rows, w, workers)
			if len(shard) == 0 {
				return
			}
			errs[w] = InsertChunksScoped(ctx, db, table, cols, shard, 100)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ParallelLoadDeferred is ParallelLoad with Done deferred, so the empty-shard
// return is accounted for.
func ParallelLoadDeferred(ctx context.Context, db *sql.DB, table string, cols []string, rows [][]any, workers int) error {
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shard := shardOf(rows, w, workers)
			if len(shard) == 0 {
				return
			}
			errs[w] = InsertChunksScoped(ctx, db, table, cols, shard, 100)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
