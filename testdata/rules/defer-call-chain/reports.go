package callchain

import (
	"log"
	"sort"
	"sync"
)

type tableReport struct {
	tables []string
	rows   int64
}

func (r tableReport) logTo(l *log.Logger) { l.Printf("%d tables, %d rows", len(r.tables), r.rows) }

type dumper struct {
	mu     sync.Mutex
	counts map[string]int64
	dump   func(string) (int64, error)
}

// snapshotCounts copies the counts under the lock.
func (d *dumper) snapshotCounts() map[string]int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]int64, len(d.counts))
	for t, n := range d.counts {
		out[t] = n
	}
	return out
}

// report builds its answer from the copy its helper makes.
func (d *dumper) report() tableReport {
	var r tableReport
	for t, n := range d.snapshotCounts() {
		r.tables = append(r.tables, t)
		r.rows += n
	}
	sort.Strings(r.tables)
	return r
}

func (d *dumper) record(table string, n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.counts[table] = n
}

func (d *dumper) dumpTable(table string) error {
	n, err := d.dump(table)
	if err != nil {
		return err
	}
	d.record(table, n)
	return nil
}

// The report is built before any table is dumped: it always logs the counts from before.
func (d *dumper) dumpReported(tables []string, l *log.Logger) error {
	defer d.report().logTo(l) // want `d\.report\(\) runs now, at the defer statement, and reads d\.counts, which dumper\.dumpReported changes afterwards through d\.dumpTable\(t\)`
	for _, t := range tables {
		if err := d.dumpTable(t); err != nil {
			return err
		}
	}
	return nil
}

// Built at exit. No finding.
func (d *dumper) dumpReportedAtExit(tables []string, l *log.Logger) error {
	defer func() { d.report().logTo(l) }()
	for _, t := range tables {
		if err := d.dumpTable(t); err != nil {
			return err
		}
	}
	return nil
}

// Nothing the report reads changes afterwards. No finding.
func (d *dumper) logOnly(l *log.Logger, msg string) {
	defer d.report().logTo(l)
	l.Print(msg)
}
