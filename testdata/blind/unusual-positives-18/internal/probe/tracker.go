package probe

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Tracker is handed by value to background maintenance jobs. Every copy
// shares the caller's WaitGroup and error channel; each job must call Done
// on the group exactly once.
type Tracker struct {
	name string
	wg   *sync.WaitGroup
	errs chan<- error
}

// NewTracker returns a tracker reporting into wg and errs.
func NewTracker(name string, wg *sync.WaitGroup, errs chan<- error) Tracker {
	return Tracker{name: name, wg: wg, errs: errs}
}

// report passes err on without ever blocking the job.
func (t Tracker) report(err error) {
	select {
	case t.errs <- fmt.Errorf("%s: %w", t.name, err):
	default:
	}
}

// Sweep removes the files in dir older than maxAge. It runs as a job.
func Sweep(t Tracker, dir string, maxAge time.Duration) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.report(err)
		return
	}
	cutoff := time.Now().Add(-maxAge)
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || info.ModTime().After(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			t.report(err)
		}
	}
	t.wg.Done() // HAZ waitgroup-done-path
}

// Compact rewrites a segment without its blank lines. It runs as a job.
func Compact(t Tracker, seg string) {
	defer t.wg.Done()
	data, err := os.ReadFile(seg)
	if err != nil {
		t.report(err)
		t.wg.Done() // HAZ waitgroup-done-path
		return
	}
	lines := bytes.Split(data, []byte("\n"))
	kept := lines[:0]
	for _, l := range lines {
		if len(bytes.TrimSpace(l)) > 0 {
			kept = append(kept, l)
		}
	}
	out := append(bytes.Join(kept, []byte("\n")), '\n')
	if bytes.Equal(out, data) {
		return
	}
	if err := os.WriteFile(seg, out, 0o640); err != nil {
		t.report(err)
	}
}

// Verify checks that a segment ends with a newline. It runs as a job.
func Verify(t Tracker, seg string) {
	defer t.wg.Done()
	data, err := os.ReadFile(seg)
	if err != nil {
		t.report(err)
		return
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.report(fmt.Errorf("%s: truncated last record", seg))
	}
}

// Prune runs fn on every path in its own job and waits for all of them. The
// tracker is copied into each job; the WaitGroup behind it is shared.
func Prune(name string, paths []string, errs chan<- error, fn func(string) error) {
	var wg sync.WaitGroup
	t := NewTracker(name, &wg, errs)
	for _, p := range paths {
		wg.Add(1)
		go func(t Tracker, p string) {
			defer t.wg.Done()
			if err := fn(p); err != nil {
				t.report(err)
			}
		}(t, p)
	}
	wg.Wait()
}
