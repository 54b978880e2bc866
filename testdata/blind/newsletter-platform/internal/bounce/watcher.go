package bounce

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Marker is the part of the subscriber store the watcher needs.
type Marker interface {
	MarkBounced(addrs []string, hard bool) int
}

// Watcher polls a maildir-style "new" directory for bounce messages.
type Watcher struct {
	Dir      string // incoming reports
	DoneDir  string // processed reports are moved here
	LockDir  string // optional: claim files so several watchers can share Dir
	Interval time.Duration

	store  Marker
	logger *log.Logger

	processed atomic.Int64
}

// NewWatcher returns a watcher over dir.
func NewWatcher(dir, doneDir string, interval time.Duration, store Marker, logger *log.Logger) *Watcher {
	return &Watcher{Dir: dir, DoneDir: doneDir, Interval: interval, store: store, logger: logger}
}

// Processed returns how many reports were handled so far.
func (w *Watcher) Processed() int {
	return int(w.processed.Load())
}

// Run scans the directory on every tick until ctx is cancelled.
func (w *Watcher) Run(ctx context.Context) error {
	ticker := time.NewTicker(w.Interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			if err := w.Scan(); err != nil {
				w.logger.Printf("bounce scan %s: %v", w.Dir, err)
			}
		}
	}
}

// Scan processes every file currently in Dir. Each file is opened and
// closed inside its own function call.
func (w *Watcher) Scan() error {
	entries, err := os.ReadDir(w.Dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(w.Dir, e.Name())
		events, err := func() ([]Event, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return ParseDSN(f)
		}()
		if err != nil && !errors.Is(err, ErrNotDSN) {
			w.logger.Printf("bounce %s: %v", path, err)
			continue
		}
		w.apply(events)
		if err := w.archive(path); err != nil {
			return err
		}
	}
	return nil
}

// apply forwards parsed events to the store, hard and soft separately.
func (w *Watcher) apply(events []Event) {
	var hard, soft []string
	for _, ev := range events {
		if ev.Hard {
			hard = append(hard, ev.Recipient)
		} else {
			soft = append(soft, ev.Recipient)
		}
	}
	n := 0
	if len(hard) > 0 {
		n += w.store.MarkBounced(hard, true)
	}
	if len(soft) > 0 {
		n += w.store.MarkBounced(soft, false)
	}
	w.processed.Add(1)
	if n > 0 {
		w.logger.Printf("bounce: disabled %d subscribers", n)
	}
}

// archive moves a processed report out of the incoming directory.
func (w *Watcher) archive(path string) error {
	if w.DoneDir == "" {
		return os.Remove(path)
	}
	return os.Rename(path, filepath.Join(w.DoneDir, filepath.Base(path)))
}

// Claim processes one report exclusively: when LockDir is set, a lock file
// keeps other watcher processes away from the same report.
func (w *Watcher) Claim(path string) error {
	var release func()
	if w.LockDir != "" {
		lock := filepath.Join(w.LockDir, filepath.Base(path)+".lock")
		lf, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("claim %s: %w", path, err)
		}
		lf.Close()
		release = func() { os.Remove(lock) }
	}
	defer release() // HAZ defer-nil-func
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	events, err := ParseDSN(f)
	f.Close()
	if err != nil {
		return err
	}
	w.apply(events)
	return w.archive(path)
}

// ClaimAll is Claim for a list of paths; release is a no-op unless a lock
// file was actually taken.
func (w *Watcher) ClaimAll(paths []string) (done int, err error) {
	release := func() {}
	if w.LockDir != "" {
		lock := filepath.Join(w.LockDir, ".batch.lock")
		if err := os.WriteFile(lock, []byte(fmt.Sprint(os.Getpid())), 0o600); err != nil {
			return 0, err
		}
		release = func() { os.Remove(lock) }
	}
	defer release()
	for _, p := range paths {
		if err := w.processOne(p); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}

// processOne parses and archives a single report.
func (w *Watcher) processOne(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	events, err := ParseDSN(f)
	if errors.Is(err, ErrNotDSN) {
		data, rerr := os.ReadFile(path)
		if rerr != nil {
			return rerr
		}
		if ev, ok := parseLoose(SubjectOf(data)); ok {
			events, err = []Event{ev}, nil
		}
	}
	if err != nil {
		return err
	}
	w.apply(events)
	return w.archive(path)
}

// Follow tails a single spool file that the MTA appends bounce reports to,
// re-opening it after each rotation.
func (w *Watcher) Follow(path string) {
	var offset int64
	for {
		f, err := os.Open(path)
		if err != nil {
			w.logger.Printf("follow %s: %v", path, err)
			time.Sleep(w.Interval)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if st, err := f.Stat(); err == nil && st.Size() < offset {
			offset = 0 // rotated
		}
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			w.logger.Printf("follow %s: %v", path, err)
			continue
		}
		r := bufio.NewReader(f)
		var rcpts []string
		for {
			line, err := r.ReadString('\n')
			offset += int64(len(line))
			if strings.HasPrefix(line, "Final-Recipient:") {
				if _, addr, ok := strings.Cut(line, ";"); ok {
					rcpts = append(rcpts, strings.ToLower(strings.TrimSpace(addr)))
				}
			}
			if err != nil {
				break
			}
		}
		if len(rcpts) > 0 {
			w.store.MarkBounced(rcpts, true)
		}
		time.Sleep(w.Interval)
	}
}

// Poll is the ticker-less mode used by bouncectl -poll: scan, sleep, repeat.
func (w *Watcher) Poll(ctx context.Context) error {
	for ctx.Err() == nil {
		if err := w.pollOnce(); err != nil {
			w.logger.Printf("poll %s: %v", w.Dir, err)
		}
	}
	return ctx.Err()
}

// pollOnce runs one scan and then waits for the poll interval.
func (w *Watcher) pollOnce() error {
	defer time.Sleep(w.Interval) // HAZ defer-blocking-call
	return w.Scan()
}

// ScanAll scans several mailbox directories in parallel.
func ScanAll(ws []*Watcher) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(ws))
	for i, w := range ws {
		wg.Add(1)
		go func() {
			if err := w.Scan(); err != nil {
				errs[i] = fmt.Errorf("%s: %w", w.Dir, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// ScanAllJoined is ScanAll with the Done deferred, so every path counts down.
func ScanAllJoined(ws []*Watcher) error {
	var wg sync.WaitGroup
	errs := make([]error, len(ws))
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.Scan()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
