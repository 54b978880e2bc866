// Package trace prints coarse timings of build phases.
package trace

import (
	"encoding/csv"
	"errors"
	"log"
	"os"
	"sort"
	"strconv"
	"time"
)

// Region starts a timed region and returns the function that ends it.
// Use it as: defer trace.Region(logger, "compile")()
func Region(l *log.Logger, name string) func() {
	start := time.Now()
	l.Printf("--> %s", name)
	return func() {
		l.Printf("<-- %s (%s)", name, time.Since(start).Round(time.Millisecond))
	}
}

// Mark logs a point event with the time elapsed since start.
func Mark(l *log.Logger, start time.Time, what string) {
	l.Printf("%8s  %s", time.Since(start).Round(time.Millisecond), what)
}

// Safe runs a tracing callback. Tracing is best-effort and must never break
// the build.
func Safe(fn func()) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// tracing is best-effort
		}
	}()
	fn()
}

// WriteCSV exports per-action durations, in milliseconds, for the build
// dashboard.
func WriteCSV(path string, timings map[string]time.Duration) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"action", "ms"}); err != nil {
		return err
	}
	ids := make([]string, 0, len(timings))
	for id := range timings {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := cw.Write([]string{id, strconv.FormatInt(timings[id].Milliseconds(), 10)}); err != nil {
			return err
		}
	}
	return nil
}
