//go:build go1.21

// Kept building under its original constraint while the module moved on.

package export

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
)

// DumpTables dumps every table to dir/<table>.csv, at most limit at a time.
func DumpTables(ctx context.Context, db *sql.DB, tables []string, dir string, limit int) error {
	if limit <= 0 {
		limit = 4
	}
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	for i := 0; i < len(tables); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = DumpCSV(ctx, db, tables[i], filepath.Join(dir, tables[i]+".csv"))
		}()
		if i%limit == limit-1 {
			wg.Wait()
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DumpTablesSerial dumps the tables one after another; nothing is captured.
func DumpTablesSerial(ctx context.Context, db *sql.DB, tables []string, dir string) error {
	for i := 0; i < len(tables); i++ {
		if err := DumpCSV(ctx, db, tables[i], filepath.Join(dir, tables[i]+".csv")); err != nil {
			return err
		}
	}
	return nil
}
