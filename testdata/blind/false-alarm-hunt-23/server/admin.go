package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

// ImportRows appends rows to table in batches of batch rows, releasing the
// write lock between batches so that readers can interleave.
func (e *Engine) ImportRows(table string, rows [][]string, batch int) error {
	if batch <= 0 {
		batch = 1000
	}
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		e.mu.Lock()
		defer e.mu.Unlock() // HAZ defer-in-loop
		t, err := e.tableLocked(table)
		if err != nil {
			return err
		}
		for _, r := range rows[start:end] {
			if len(r) != len(t.Cols) {
				return errf("22023", "row has %d values, table %q has %d columns", len(r), table, len(t.Cols))
			}
		}
		t.Rows = append(t.Rows, rows[start:end]...)
	}
	return nil
}

// ImportBatches is ImportRows for pre-split batches: each batch takes and
// releases the write lock inside its own function call.
func (e *Engine) ImportBatches(table string, batches [][][]string) error {
	for i, b := range batches {
		err := func() error {
			e.mu.Lock()
			defer e.mu.Unlock()
			t, err := e.tableLocked(table)
			if err != nil {
				return err
			}
			t.Rows = append(t.Rows, b...)
			return nil
		}()
		if err != nil {
			return fmt.Errorf("batch %d: %w", i, err)
		}
	}
	return nil
}

// DropTable removes a table.
func (e *Engine) DropTable(name string) error {
	e.mu.Lock()
	defer e.mu.RUnlock() // HAZ defer-lock-mismatch
	if _, err := e.tableLocked(name); err != nil {
		return err
	}
	delete(e.tables, name)
	return nil
}

// RenameTable renames a table under the write lock.
func (e *Engine) RenameTable(from, to string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, err := e.tableLocked(from)
	if err != nil {
		return err
	}
	if _, taken := e.tables[to]; taken {
		return errf("42P07", "relation %q already exists", to)
	}
	delete(e.tables, from)
	e.tables[to] = t
	return nil
}

// Describe summarises the engine for the admin endpoint.
func (e *Engine) Describe() string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var b strings.Builder
	for _, name := range e.Tables() { // HAZ lock-reentry-under-defer
		t := e.tables[name]
		fmt.Fprintf(&b, "%s: %d columns, %d rows\n", name, len(t.Cols), len(t.Rows))
	}
	return b.String()
}

// RowCounts reports the row count of every table; the names are collected
// by Tables before the read lock is taken here.
func (e *Engine) RowCounts() map[string]int {
	names := e.Tables()
	sort.Strings(names)
	e.mu.RLock()
	defer e.mu.RUnlock()
	counts := make(map[string]int, len(names))
	for _, name := range names {
		if t, ok := e.tables[name]; ok {
			counts[name] = len(t.Rows)
		}
	}
	return counts
}

// ExportSchema writes the table definitions to path as JSON, for tooling.
func (e *Engine) ExportSchema(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	e.mu.RLock()
	schema := make(map[string][]string, len(e.tables))
	for name, t := range e.tables {
		schema[name] = append([]string(nil), t.Cols...)
	}
	e.mu.RUnlock()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(schema)
}

// VerifySnapshots checks that every snapshot file decodes. A decoder panic
// on a corrupt file is turned into that file's error.
func VerifySnapshots(paths []string) error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("%s: corrupt snapshot: %v", p, r)
				}
			}()
			errs[i] = NewEngine().LoadSnapshot(p)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// LoadAll loads several snapshot files concurrently, one engine each. A
// corrupt snapshot must not crash the server.
func LoadAll(paths []string) (engines []*Engine, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("server: loading snapshots: %v", r)
		}
	}()
	engines = make([]*Engine, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			e := NewEngine()
			errs[i] = e.LoadSnapshot(p)
			engines[i] = e
		}()
	}
	wg.Wait()
	return engines, errors.Join(errs...)
}
