package stats

import (
	"encoding/csv"
	"errors"
	"os"
	"sort"
	"strconv"
	"sync"
)

// Source produces one service's counters.
type Source func() (map[string]int64, error)

// Ensure returns the report of name, creating it if needed; the change is
// logged after the table lock is released.
func (t *Table) Ensure(name string) *ServiceReport {
	t.Lock()
	r, ok := t.rows[name]
	if !ok {
		r = &ServiceReport{Name: name}
		t.rows[name] = r
	}
	t.Unlock()
	if !ok {
		logChange(t, "added", name)
	}
	return r
}

// Collect runs every source concurrently and merges its counters into the
// service's report.
func (t *Table) Collect(sources map[string]Source) {
	var wg sync.WaitGroup
	for name, src := range sources {
		rep := t.Ensure(name)
		wg.Add(1)
		go func() {
			snap, err := src()
			if err != nil {
				t.log.Printf("stats: collect %s: %v", name, err)
				return
			}
			rep.MergeMap(snap)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// CollectAll is Collect with the Done deferred, and it returns the source
// errors.
func (t *Table) CollectAll(sources map[string]Source) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for name, src := range sources {
		rep := t.Ensure(name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			snap, err := src()
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			rep.MergeMap(snap)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func sortedNames(rows map[string]*ServiceReport) []string {
	names := make([]string, 0, len(rows))
	for n := range rows {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// WriteCSV writes one service,counter,value line per counter to path.
func (t *Table) WriteCSV(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	t.RLock()
	defer t.RUnlock()
	for _, name := range sortedNames(t.rows) {
		for k, v := range t.rows[name].Snapshot() {
			if err := cw.Write([]string{name, k, strconv.FormatInt(v, 10)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteCSVChecked is WriteCSV with the buffered data flushed and its error
// checked before the file is closed.
func (t *Table) WriteCSVChecked(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	t.RLock()
	defer t.RUnlock()
	for _, name := range sortedNames(t.rows) {
		for k, v := range t.rows[name].Snapshot() {
			if err := cw.Write([]string{name, k, strconv.FormatInt(v, 10)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
