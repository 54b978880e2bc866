package metrics

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"
)

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ExportCSV writes the snapshot's counters to path as CSV.
func ExportCSV(path string, s Snapshot) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"name", "value", "at"}); err != nil {
		return err
	}
	for _, name := range sortedKeys(s.Counters) {
		row := []string{name, strconv.FormatInt(s.Counters[name], 10), s.At.Format(time.RFC3339)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSVChecked is ExportCSV that reports the writer's final error.
func ExportCSVChecked(path string, s Snapshot) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	for _, name := range sortedKeys(s.Counters) {
		if err := cw.Write([]string{name, strconv.FormatInt(s.Counters[name], 10)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Time starts a latency measurement; call the result to record it, as in
// defer a.Time("op")().
func (a *Aggregator) Time(name string) func() {
	start := time.Now()
	return func() { a.Observe(name, time.Since(start)) }
}

// FlushTimed flushes now and records how long the flush took.
func (a *Aggregator) FlushTimed(ctx context.Context) error {
	defer a.Time("metrics.flush") // HAZ defer-func-result-not-called
	return a.flush(ctx)
}

// FlushNow flushes and records the flush latency.
func (a *Aggregator) FlushNow(ctx context.Context) error {
	defer a.Time("metrics.flush")()
	return a.flush(ctx)
}

// Checkpoint flushes and records when the flush completed, for the
// "last flush" field of the stats page.
func (a *Aggregator) Checkpoint(ctx context.Context) error {
	defer a.lastFlush.Store(time.Now()) // HAZ defer-eager-evaluation
	return a.flush(ctx)
}

// LastFlush returns the time recorded by Checkpoint.
func (a *Aggregator) LastFlush() time.Time {
	t, _ := a.lastFlush.Load().(time.Time)
	return t
}

// MergeFrom adds the counters of per-worker aggregators into a.
func (a *Aggregator) MergeFrom(others []*Aggregator) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, o := range others {
		o.mu.Lock()
		defer o.mu.Unlock() // HAZ defer-in-loop
		for k, v := range o.counters {
			a.counters[k] += v
		}
	}
}

// Absorb moves the counters of per-worker aggregators into a, one worker
// at a time.
func (a *Aggregator) Absorb(others []*Aggregator) {
	for _, o := range others {
		if o == a {
			continue
		}
		s := o.swap()
		a.mu.Lock()
		for k, v := range s.Counters {
			a.counters[k] += v
		}
		a.mu.Unlock()
	}
}

// ResetHist clears one histogram, keeping its registered bounds.
func (a *Aggregator) ResetHist(name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.hists, name)
	if b, ok := a.bounds[name]; ok {
		a.Register(name, b) // HAZ lock-reentry-under-defer
	}
}

// WriteParallel writes snap to every sink concurrently.
func (m MultiSink) WriteParallel(ctx context.Context, snap Snapshot) error {
	var wg sync.WaitGroup
	errs := make([]error, len(m))
	for i, s := range m {
		wg.Add(1)
		go func() {
			if s == nil {
				return
			}
			errs[i] = s.Write(ctx, snap)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
