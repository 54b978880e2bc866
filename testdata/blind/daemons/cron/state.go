package cron

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

type stateFile struct {
	Saved   time.Time            `json:"saved"`
	LastRun map[string]time.Time `json:"last_run"`
	LastErr map[string]string    `json:"last_err"`
}

func (s *Scheduler) snapshot() stateFile {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := stateFile{Saved: time.Now(), LastRun: map[string]time.Time{}, LastErr: map[string]string{}}
	for k, v := range s.lastRun {
		st.LastRun[k] = v
	}
	for k, v := range s.lastErr {
		if v != nil {
			st.LastErr[k] = v.Error()
		}
	}
	return st
}

// WriteFile stores the state as JSON at path, atomically.
func (st stateFile) WriteFile(path string) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// trace logs the start of op and returns the func that logs its end.
func (s *Scheduler) trace(op string) func() {
	start := time.Now()
	s.Log.Printf("cron: %s: start", op)
	return func() { s.Log.Printf("cron: %s: done in %s", op, time.Since(start)) }
}

// saveState persists the run history next to the state file.
func (s *Scheduler) saveState() error {
	defer s.trace("save-state") // HAZ defer-func-result-not-called
	if s.StatePath == "" {
		return nil
	}
	return s.snapshot().WriteFile(s.StatePath)
}

// loadState reads the run history back.
func (s *Scheduler) loadState() error {
	defer s.trace("load-state")() // ok: the returned func is what is deferred
	data, err := os.ReadFile(s.StatePath)
	if err != nil {
		return err
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return err
	}
	s.applyState(st)
	return nil
}

func (s *Scheduler) applyState(st stateFile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range st.LastRun {
		s.lastRun[k] = v
	}
	for k, v := range st.LastErr {
		s.lastErr[k] = errors.New(v)
	}
}

// lockFile creates path exclusively and returns the func that removes it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// FileLocker implements Locker with lock files in Dir.
type FileLocker struct{ Dir string }

func (fl FileLocker) Acquire(ctx context.Context, name string) (func(), error) {
	path := filepath.Join(fl.Dir, name+".lock")
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		release, err := lockFile(path)
		if err == nil {
			return release, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// MustLoadState loads the state file under its lock file, exiting when the
// file is corrupt. It is called once at daemon start-up.
func (s *Scheduler) MustLoadState() {
	unlock, err := lockFile(s.StatePath + ".lock")
	if err != nil {
		log.Fatalf("cron: lock state: %v", err) // ok: nothing deferred yet
	}
	defer unlock()
	err = s.loadState()
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		log.Fatalf("cron: state %s unusable: %v", s.StatePath, err) // HAZ exit-skips-defer
	}
}

// RunAll runs every job once, in name order, and persists the resulting
// state when done. Used by `cronctl run-all`.
func (s *Scheduler) RunAll(ctx context.Context) {
	defer s.snapshot().WriteFile(s.StatePath) // HAZ defer-call-chain
	for _, name := range s.Names() {
		if j, ok := s.job(name); ok {
			s.runJob(ctx, j)
		}
	}
}

// writeCheckpoint writes the state through a buffered writer.
func writeCheckpoint(path string, st stateFile) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	return json.NewEncoder(bw).Encode(st)
}

// writeCheckpointSafe is writeCheckpoint with the defers in the right order.
func writeCheckpointSafe(path string, st stateFile) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: runs after the flush below
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	return json.NewEncoder(bw).Encode(st)
}

// Checkpoint saves the current state to dir, using the safe writer unless
// legacy is set (older readers expect the unindented format).
func (s *Scheduler) Checkpoint(dir string, legacy bool) error {
	path := filepath.Join(dir, "checkpoint.json")
	if legacy {
		return writeCheckpoint(path, s.snapshot())
	}
	return writeCheckpointSafe(path, s.snapshot())
}

// DumpHistory appends the last run of every job to path for offline analysis.
func (s *Scheduler) DumpHistory(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	st := s.snapshot()
	for name, t := range st.LastRun {
		if _, err := fmt.Fprintf(f, "%s\t%s\t%s\n", t.Format(time.RFC3339), name, st.LastErr[name]); err != nil {
			return err
		}
	}
	return nil
}

// DumpHistoryChecked is DumpHistory with the close error returned.
func (s *Scheduler) DumpHistoryChecked(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns the checked Close below
	st := s.snapshot()
	for name, t := range st.LastRun {
		if _, err := fmt.Fprintf(f, "%s\t%s\t%s\n", t.Format(time.RFC3339), name, st.LastErr[name]); err != nil {
			return err
		}
	}
	return f.Close()
}

// MarkRunning creates the marker file removed by Shutdown and Close.
func (s *Scheduler) MarkRunning() error {
	return os.WriteFile(s.StatePath+".running", []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}
