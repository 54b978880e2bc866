package bounce

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// parseFile opens one report read-only and parses it.
func parseFile(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	evs, err := ParseDSN(f)
	for i := range evs {
		evs[i].File = filepath.Base(path)
	}
	return evs, err
}

// Events parses the given reports in the background and streams the
// resulting events.
func Events(paths []string, logger *log.Logger) <-chan Event {
	out := make(chan Event)
	defer close(out) // HAZ defer-close-chan-with-sender
	go func() {
		for _, p := range paths {
			evs, err := parseFile(p)
			if err != nil {
				logger.Printf("bounce %s: %v", p, err)
				continue
			}
			for _, ev := range evs {
				out <- ev
			}
		}
	}()
	return out
}

// EventsCtx is Events done right: the sending goroutine owns the channel and
// closes it when it is finished, and it stops early when ctx is cancelled.
func EventsCtx(ctx context.Context, paths []string, logger *log.Logger) <-chan Event {
	out := make(chan Event)
	go func() {
		defer close(out)
		for _, p := range paths {
			evs, err := parseFile(p)
			if err != nil {
				logger.Printf("bounce %s: %v", p, err)
				continue
			}
			for _, ev := range evs {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// CollectAll parses every report concurrently; the events channel is
// closed only after every parser has finished.
func CollectAll(paths []string) []Event {
	ch := make(chan []Event)
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			evs, _ := parseFile(p)
			ch <- evs
		}()
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	var all []Event
	for evs := range ch {
		all = append(all, evs...)
	}
	return all
}

// ScanChecked scans the mailbox, refusing to report success when the
// backlog looks like a mail loop.
func (w *Watcher) ScanChecked(maxBacklog int) error {
	entries, err := os.ReadDir(w.Dir)
	if err != nil {
		return err
	}
	errc := make(chan error)
	go func() { errc <- w.Scan() }() // HAZ goroutine-blocked-send
	if len(entries) > maxBacklog {
		return fmt.Errorf("bounce: %d reports waiting in %s (limit %d): mail loop?", len(entries), w.Dir, maxBacklog)
	}
	return <-errc
}

// ScanWithin scans with a deadline; the result channel is buffered so the
// scan goroutine can always deliver and exit.
func (w *Watcher) ScanWithin(d time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- w.Scan() }()
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		return fmt.Errorf("bounce: scan of %s still running after %s", w.Dir, d)
	}
}

// ParseAll parses reports concurrently. A panicking parser is logged and the
// other reports still get parsed.
func ParseAll(paths []string, logger *log.Logger) [][]Event {
	var wg sync.WaitGroup
	out := make([][]Event, len(paths))
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					logger.Printf("bounce %s: parser panic: %v", p, r)
				}
			}()
			evs, err := parseFile(p)
			if err == nil {
				out[i] = evs
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}

// FanIn scans several mailbox directories and merges their events, giving
// up on the stragglers when ctx is cancelled.
func FanIn(ctx context.Context, dirs []string) [][]Event {
	var wg sync.WaitGroup
	results := make(chan []Event, len(dirs))
	for _, dir := range dirs {
		wg.Add(1)
		go func() {
			entries, _ := os.ReadDir(dir)
			var evs []Event
			for _, e := range entries {
				more, _ := parseFile(filepath.Join(dir, e.Name()))
				evs = append(evs, more...)
			}
			select {
			case results <- evs:
			case <-ctx.Done():
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(results)
	var out [][]Event
	for evs := range results {
		out = append(out, evs)
	}
	return out
}

// processGuarded processes one report, shielding the caller from parser
// bugs.
func (w *Watcher) processGuarded(path string) error {
	defer recover() // HAZ recover-ineffective
	return w.processOne(path)
}

// processLogged processes one report and logs a parser panic.
func (w *Watcher) processLogged(path string) error {
	defer w.logger.Println("bounce: recovered from", recover()) // HAZ recover-ineffective
	return w.processOne(path)
}

// ProcessQuiet is used by the nightly cleanup: it processes what it can and
// never fails.
func (w *Watcher) ProcessQuiet(paths []string) int {
	n := 0
	for _, p := range paths {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
				}
			}()
			if w.processOne(p) == nil {
				n++
			}
		}()
	}
	return n
}

// ProcessEach processes reports one by one; a panic in one report is
// logged with its path and the loop carries on.
func (w *Watcher) ProcessEach(paths []string) (failed []string) {
	for _, p := range paths {
		func() {
			defer func() {
				if r := recover(); r != nil {
					w.logger.Printf("bounce %s: panic: %v", p, r)
					failed = append(failed, p)
				}
			}()
			if err := w.processOne(p); err != nil {
				failed = append(failed, p)
			}
		}()
	}
	return failed
}

// ProcessBatch is the entry point for the HTTP "reprocess" admin action.
// It converts panics into errors and reports progress while it works.
func (w *Watcher) ProcessBatch(ctx context.Context, paths []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bounce: reprocess panicked: %v", r)
		}
	}()
	go func() { // HAZ goroutine-outside-recover
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				w.logger.Printf("bounce: reprocess: %d done", w.Processed())
			}
		}
	}()
	for _, p := range paths {
		if err := w.processOne(p); err != nil {
			return err
		}
	}
	return nil
}

// recoverScan is deferred by the goroutines of ScanDirsSafe.
func (w *Watcher) recoverScan(dir string) {
	if r := recover(); r != nil {
		w.logger.Printf("bounce: scan of %s panicked: %v", dir, r)
	}
}

// ScanDirsSafe scans several directories concurrently; every goroutine
// carries its own recover, and so does the caller.
func (w *Watcher) ScanDirsSafe(dirs []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bounce: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer w.recoverScan(dir)
			sub := NewWatcher(dir, w.DoneDir, w.Interval, w.store, w.logger)
			if err := sub.Scan(); err != nil {
				w.logger.Printf("bounce: %s: %v", dir, err)
			}
		}()
	}
	wg.Wait()
	return nil
}

// Progress is a point-in-time copy of the watcher's counters.
type Progress struct {
	Processed int
	At        time.Time
}

// Progress returns the current counters.
func (w *Watcher) Progress() Progress {
	return Progress{Processed: w.Processed(), At: time.Now()}
}

// Log writes the counters on one line.
func (p Progress) Log(logger *log.Logger) {
	logger.Printf("bounce: %d reports processed (as of %s)", p.Processed, p.At.Format(time.TimeOnly))
}

// ProcessAll processes reports in order and logs the final progress.
func (w *Watcher) ProcessAll(paths []string) error {
	defer w.Progress().Log(w.logger) // HAZ defer-call-chain
	for _, p := range paths {
		if err := w.processOne(p); err != nil {
			return err
		}
	}
	return nil
}

// ProcessAllLogged logs the progress as it is when the function returns.
func (w *Watcher) ProcessAllLogged(paths []string) error {
	defer func() { w.Progress().Log(w.logger) }()
	for _, p := range paths {
		if err := w.processOne(p); err != nil {
			return err
		}
	}
	return nil
}
