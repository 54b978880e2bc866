package gen

import (
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"example.com/fah24/internal/fsutil"
)

// Stats accumulates wall time and failures per generator stage.
type Stats struct {
	mu     sync.Mutex
	stages map[string]*stage
}

type stage struct {
	count, failed int
	total         time.Duration
}

// Track starts timing stage name; call the returned func when it ends:
// defer g.stats.Track("render")().
func (s *Stats) Track(name string) func() {
	start := time.Now()
	return func() { s.add(name, time.Since(start), false) }
}

// Outcome counts a failure of stage name if *errp is non-nil when the
// deferred call runs: defer g.stats.Outcome("run", &err).
func (s *Stats) Outcome(name string, errp *error) {
	if *errp != nil {
		s.add(name, 0, true)
	}
}

func (s *Stats) add(name string, d time.Duration, failed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stages == nil {
		s.stages = make(map[string]*stage)
	}
	st, ok := s.stages[name]
	if !ok {
		st = &stage{}
		s.stages[name] = st
	}
	if failed {
		st.failed++
		return
	}
	st.count++
	st.total += d
}

// rows copies the stages in name order. The lock is held only while copying.
func (s *Stats) rows() ([]string, []stage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := slices.Sorted(maps.Keys(s.stages))
	rows := make([]stage, len(names))
	for i, n := range names {
		rows[i] = *s.stages[n]
	}
	return names, rows
}

// Report prints one aligned line per stage.
func (s *Stats) Report(w io.Writer) error {
	names, rows := s.rows()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "stage\tcount\tfailed\ttotal")
	for i, n := range names {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%v\n", n, rows[i].count, rows[i].failed, rows[i].total.Round(time.Millisecond))
	}
	return tw.Flush()
}

// WriteCSV exports the stage table as CSV for the CI dashboard.
func (s *Stats) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"stage", "count", "failed", "total_ms"}); err != nil {
		return err
	}
	names, rows := s.rows()
	for i, n := range names {
		rec := []string{n, strconv.Itoa(rows[i].count), strconv.Itoa(rows[i].failed), strconv.FormatInt(rows[i].total.Milliseconds(), 10)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSVFile exports the stage table to path; the CSV writer is flushed
// and its error checked before the atomic rename.
func (s *Stats) WriteCSVFile(path string) error {
	return fsutil.WriteWith(path, 0o644, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		names, rows := s.rows()
		cw.Write([]string{"stage", "count", "failed", "total_ms"})
		for i, n := range names {
			cw.Write([]string{n, strconv.Itoa(rows[i].count), strconv.Itoa(rows[i].failed), strconv.FormatInt(rows[i].total.Milliseconds(), 10)})
		}
		cw.Flush()
		return cw.Error()
	})
}
