package dump

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Serve dumps every table named on jobs and reports finished tables on
// done. It runs for the life of the agent; two jobs for the same table
// never run at once.
func (d *Dumper) Serve(ctx context.Context, jobs <-chan string, done chan<- string) {
	for table := range jobs {
		unlock := d.locks.Lock(table)
		defer unlock() // HAZ defer-in-infinite-loop
		if err := d.DumpTable(ctx, table); err != nil {
			d.log.Printf("dump %s: %v", table, err)
			continue
		}
		done <- table
	}
}

// handle dumps one table while holding its mutex.
func (d *Dumper) handle(ctx context.Context, table string) error {
	defer d.locks.Lock(table)()
	return d.DumpTable(ctx, table)
}

// ServeContext is Serve that stops with ctx or when jobs is closed.
func (d *Dumper) ServeContext(ctx context.Context, jobs <-chan string, done chan<- string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case table, ok := <-jobs:
			if !ok {
				return nil
			}
			if err := d.handle(ctx, table); err != nil {
				d.log.Printf("dump %s: %v", table, err)
				continue
			}
			select {
			case done <- table:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// DumpGuarded dumps tables concurrently and turns a panic into an error
// instead of crashing the agent.
func (d *Dumper) DumpGuarded(ctx context.Context, tables []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("dump: panic: %v", r)
		}
	}()
	errc := make(chan error, len(tables))
	for _, t := range tables {
		go func(t string) { errc <- d.DumpTable(ctx, t) }(t) // HAZ goroutine-outside-recover
	}
	var errs []error
	for range tables {
		if e := <-errc; e != nil {
			errs = append(errs, e)
		}
	}
	return errors.Join(errs...)
}

// VerifyAll decodes every dump concurrently. A corrupt file must not crash
// the process, so each check recovers from a panic in the decoder.
func (d *Dumper) VerifyAll(tables []string) map[string]error {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	out := make(map[string]error, len(tables))
	for _, t := range tables {
		wg.Add(1)
		go func(t string) {
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					out[t] = fmt.Errorf("panic while decoding: %v", r)
					mu.Unlock()
				}
			}()
			f, err := os.Open(d.path(t))
			if err == nil {
				_, err = digestRecords(f)
				f.Close()
			}
			mu.Lock()
			out[t] = err
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}(t)
	}
	wg.Wait()
	return out
}

// columns returns the column names of table.
func (d *Dumper) columns(ctx context.Context, table string) ([]string, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// DumpWithSchema dumps table and writes its column list next to the dump.
func (d *Dumper) DumpWithSchema(ctx context.Context, table string) error {
	colsCh := make(chan []string)
	go func() {
		cols, err := d.columns(ctx, table)
		if err != nil {
			d.log.Printf("columns of %s: %v", table, err)
		}
		colsCh <- cols // HAZ goroutine-blocked-send
	}()
	if err := d.DumpTable(ctx, table); err != nil {
		return err
	}
	cols := <-colsCh
	return os.WriteFile(filepath.Join(d.dir, table+".columns"), []byte(strings.Join(cols, "\n")+"\n"), 0o644)
}

// EmptyTables returns the tables without rows, which a dump can skip.
func (d *Dumper) EmptyTables(ctx context.Context, tables []string) ([]string, error) {
	var empty []string
	for _, t := range tables {
		rows, err := d.db.QueryContext(ctx, "SELECT * FROM "+t)
		if err != nil {
			return nil, err
		}
		defer rows.Close() // HAZ defer-in-loop
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return nil, err
			}
			empty = append(empty, t)
		}
	}
	return empty, nil
}
