package workflow

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/unusualpos3/internal/container"
)

// stateUpdate is a state change reported by a remote worker.
type stateUpdate struct {
	id    string
	state State
}

// Apply applies remote state updates until ctx ends.
func (s *Scheduler) Apply(ctx context.Context, updates <-chan stateUpdate) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case u := <-updates:
			s.eng.mu.Lock()
			defer s.eng.mu.Unlock() // HAZ defer-in-loop
			if r, ok := s.eng.runs[u.id]; ok {
				r.State = u.state
			}
		}
	}
}

// ReplayJournals re-reads the journals of ids in the background and reports
// the combined error.
func (e *Engine) ReplayJournals(ids []string) <-chan error {
	done := make(chan error, 1)
	go func() {
		var errs []error
		for _, id := range ids {
			f, err := os.Open(e.journal.path(id))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			defer f.Close() // HAZ defer-in-loop
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				var rec Record
				if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", id, err))
					break
				}
			}
		}
		done <- errors.Join(errs...)
	}()
	return done
}

// Sweep periodically fails expired runs and reports how many runs it saw.
func (s *Scheduler) Sweep(interval time.Duration, report func(int)) {
	for true {
		l, err := s.leases.Grant("sweep")
		if err != nil {
			time.Sleep(interval)
			continue
		}
		defer l.Release() // HAZ defer-in-infinite-loop
		seen := 0
	scan:
		for _, r := range s.eng.Snapshot() {
			if r.State != StateRunning {
				continue
			}
			if seen >= 100 {
				break scan
			}
			seen++
		}
		report(seen + s.eng.expireStale(time.Now()))
		time.Sleep(interval)
	}
}

// Stage writes data to a scratch file in dir and calls fn with its path; the
// scratch file is removed afterwards.
func Stage(dir string, data []byte, fn func(path string) error) error {
	tmp, err := os.CreateTemp(dir, "stage-*")
	defer os.Remove(tmp.Name()) // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return fn(tmp.Name())
}

// ExportStates writes id,state pairs of runs to path as CSV.
func ExportStates(path string, runs []Run) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	for _, r := range runs {
		if err := cw.Write([]string{r.ID, string(r.State), strconv.Itoa(len(r.Done))}); err != nil {
			return err
		}
	}
	return nil
}

// Tar writes the journals of ids into an uncompressed tar archive at path.
func (j *Journal) Tar(path string, ids []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	tw := tar.NewWriter(f)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, id := range ids {
		data, err := os.ReadFile(j.path(id))
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: id + ".jsonl", Mode: 0o644, Size: int64(len(data))}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// ZipRuns writes the journals of ids into a zip archive at path.
func (j *Journal) ZipRuns(path string, ids []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	finishZip, closeFile := zw.Close, f.Close
	defer func() { err = errors.Join(err, finishZip()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, closeFile()) }()
	for _, id := range ids {
		data, err := os.ReadFile(j.path(id))
		if err != nil {
			return err
		}
		w, err := zw.Create(id + ".jsonl")
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// pauseDispatch stops immediate dispatch rounds and returns the function
// that resumes them.
func (s *Scheduler) pauseDispatch() context.CancelFunc {
	s.paused.Store(true)
	return func() { s.paused.Store(false) }
}

// Reorder sorts the queue with less while dispatching is paused.
func (s *Scheduler) Reorder(less func(a, b string) bool) error {
	defer s.pauseDispatch() // HAZ defer-func-result-not-called
	items, err := s.queue.DrainTo(nil, 1<<20)
	if err != nil {
		return err
	}
	sort.SliceStable(items, func(i, j int) bool { return less(items[i], items[j]) })
	_, err = s.queue.PushAll(items)
	return err
}

// Prioritise moves ids to the front of the queue while dispatching is
// paused.
func (s *Scheduler) Prioritise(ids []string) error {
	defer s.pauseDispatch()()
	rest, err := s.queue.DrainTo(nil, 1<<20)
	if err != nil {
		return err
	}
	_, err = s.queue.PushAll(append(ids, rest...))
	return err
}

// ProbeInputs checks that every input of r exists and returns the index of
// the last input examined.
func (e *Engine) ProbeInputs(r *Run, inputs []string) (int, error) {
	var (
		i    int
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for i = range inputs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := os.Stat(inputs[i]); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("run %s: %w", r.ID, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return i, errors.Join(errs...)
}

// CheckInputs is ProbeInputs with the loop declaring its variable.
func (e *Engine) CheckInputs(r *Run, inputs []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for i := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := os.Stat(inputs[i]); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("run %s: %w", r.ID, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Finalize marks r done and reports it through the step hook; strict mode
// also journals the result.
func (s *Saga) Finalize(r *Run, strict bool) error {
	report := s.onStep
	defer report("finalize "+r.ID, nil) // HAZ defer-eager-evaluation
	if strict {
		report = func(step string, err error) {
			s.onStep(step, err)
			_ = s.eng.journal.AppendSynced(r.ID, Record{Kind: "final", State: r.State, At: time.Now()})
		}
	}
	return s.eng.setState(r, StateDone)
}

// boardSnapshot is a frozen copy of a Board.
type boardSnapshot map[string]State

// Freeze copies the board.
func (b *Board) Freeze() boardSnapshot {
	b.view.mu.RLock()
	defer b.view.mu.RUnlock()
	out := make(boardSnapshot, len(b.view.states))
	for k, v := range b.view.states {
		out[k] = v
	}
	return out
}

// WriteTo writes the snapshot as sorted "id state" lines.
func (bs boardSnapshot) WriteTo(w io.Writer) (int64, error) {
	ids := make([]string, 0, len(bs))
	for id := range bs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var total int64
	for _, id := range ids {
		n, err := fmt.Fprintf(w, "%s %s\n", id, bs[id])
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Track refreshes the board from the engine and writes it to w afterwards.
func (b *Board) Track(w io.Writer, e *Engine, ids []string) {
	defer b.Freeze().WriteTo(w) // HAZ defer-call-chain
	for _, id := range ids {
		if r, err := e.get(id); err == nil {
			b.Set(id, r.State)
		}
	}
}

// IDs returns the run IDs on the board.
func (b *Board) IDs() []string {
	unlock := b.view.mu.Unlock
	b.view.mu.RLock()
	defer unlock() // HAZ defer-lock-mismatch
	ids := make([]string, 0, len(b.view.states))
	for id := range b.view.states {
		ids = append(ids, id)
	}
	return ids
}

// Len returns the number of runs on the board.
func (b *Board) Len() int {
	l := b.view.mu.RLocker()
	l.Lock()
	defer l.Unlock()
	return len(b.view.states)
}

// stateOf returns the state of run id.
func (e *Engine) stateOf(id string) State {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r, ok := e.runs[id]; ok {
		return r.State
	}
	return ""
}

// Ordered returns the run IDs ordered by state.
func (e *Engine) Ordered() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	ids := make([]string, 0, len(e.runs))
	for id := range e.runs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return e.stateOf(ids[i]) < e.stateOf(ids[j]) }) // HAZ lock-reentry-under-defer
	return ids
}

// OrderedByState is Ordered reading the states it already holds the lock for.
func (e *Engine) OrderedByState() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	ids := make([]string, 0, len(e.runs))
	for id := range e.runs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return e.runs[ids[i]].State < e.runs[ids[j]].State })
	return ids
}

// sweep removes leftover *.tmp files under dir.
func (e *Engine) sweep(dir string) {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".tmp") {
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		e.logger.Printf("sweep %s: %v", dir, err)
	}
}

// RunInWorkdir executes the run with dir as its scratch space and cleans the
// scratch space afterwards.
func (e *Engine) RunInWorkdir(ctx context.Context, id, dir string) error {
	defer e.sweep(dir) // HAZ defer-blocking-call
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return e.Execute(ctx, id)
}

// worker executes runs received on jobs until jobs is closed or ctx ends.
func (s *Saga) worker(ctx context.Context, wg *sync.WaitGroup, jobs <-chan *Run) {
	for r := range jobs {
		if ctx.Err() != nil {
			return
		}
		if err := s.Run(ctx, r); err != nil {
			s.eng.logger.Printf("run %s: %v", r.ID, err)
		}
	}
	wg.Done() // HAZ waitgroup-done-path
}

// Pool executes runs with n workers.
func (s *Saga) Pool(ctx context.Context, runs []*Run, n int) {
	var wg sync.WaitGroup
	jobs := make(chan *Run)
	for range n {
		wg.Add(1)
		go s.worker(ctx, &wg, jobs)
	}
feed:
	for _, r := range runs {
		select {
		case jobs <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
}

// fail stops the process with a bootstrap error.
func (s *Scheduler) fail(format string, args ...any) {
	s.logger.Fatalf(format, args...)
}

// abortf reports a failed bootstrap stage and stops the process.
func (s *Scheduler) abortf(stage string, err error) {
	s.fail("bootstrap %s: %v", stage, err)
}

// Bootstrap takes the scheduler lock in stateDir and loads the saved queue.
func (s *Scheduler) Bootstrap(stateDir string) {
	unlock, err := acquireLockFile(filepath.Join(stateDir, "scheduler.lock"))
	if err != nil {
		s.abortf("lock", err)
	}
	defer unlock()
	ids, err := readQueueFile(filepath.Join(stateDir, "queue"))
	if err != nil {
		s.abortf("queue", err) // HAZ exit-skips-defer
	}
	if _, err := s.queue.PushAll(ids); err != nil {
		s.logger.Printf("bootstrap: %v", err)
	}
}

// ExecuteWithin executes the run and gives up waiting after timeout.
func (e *Engine) ExecuteWithin(ctx context.Context, id string, timeout time.Duration) error {
	result := make(chan error, 2)
	defer close(result) // HAZ defer-close-chan-with-sender
	time.AfterFunc(timeout, func() { result <- fmt.Errorf("run %s: no result after %s", id, timeout) })
	go func() { result <- e.Execute(ctx, id) }()
	return <-result
}

// Touch bumps the attempt counter of run id.
func (e *Engine) Touch(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.resolve(id) // HAZ lock-reentry-under-defer
	if err != nil {
		return err
	}
	r.Attempts++
	return nil
}

// ArchiveBuffered writes a gzip-compressed copy of runID's journal through a
// large write buffer.
func (j *Journal) ArchiveBuffered(runID string) (err error) {
	data, err := os.ReadFile(j.path(runID))
	if err != nil {
		return err
	}
	f, err := os.Create(j.path(runID) + ".gz")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriterSize(f, 1<<16)
	zw := gzip.NewWriter(bw)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, bw.Flush()) }()
	_, err = zw.Write(data)
	return err
}

// settings is the engine-wide configuration guarded by a generic locker.
var settings = container.NewLocker(map[string]string{"retention": "720h"})

// SetSetting changes one engine setting.
func SetSetting(key, value string) {
	defer settings.Acquire() // HAZ defer-func-result-not-called
	settings.Update(func(m *map[string]string) { (*m)[key] = value })
}

// Setting returns one engine setting.
func Setting(key string) string {
	return settings.Get()[key]
}

// logResult logs the outcome of an operation on a run.
func logResult(logger *log.Logger, what string, err error) {
	if err != nil {
		logger.Printf("%s: failed: %v", what, err)
		return
	}
	logger.Printf("%s: ok", what)
}

// Reopen requeues the failed run id and records the outcome.
func (e *Engine) Reopen(id string) error {
	var err error
	defer logResult(e.logger, "reopen "+id, err) // HAZ defer-eager-evaluation
	if err = e.Retry(id); err != nil {
		return err
	}
	err = e.journal.AppendSynced(id, Record{Kind: "reopen", State: StateQueued, At: time.Now()})
	return err
}

// Reopened is Reopen logging the final error at return.
func (e *Engine) Reopened(id string) (err error) {
	defer func() { logResult(e.logger, "reopen "+id, err) }()
	if err = e.Retry(id); err != nil {
		return err
	}
	return e.journal.AppendSynced(id, Record{Kind: "reopen", State: StateQueued, At: time.Now()})
}

// WriteFramed writes payload to w between a header and a trailer line.
func WriteFramed(w io.Writer, name string, payload []byte) error {
	if _, err := fmt.Fprintf(w, "BEGIN %s %d\n", name, len(payload)); err != nil {
		return err
	}
	defer func() (int, error) { // HAZ defer-ineffective-return
		return fmt.Fprintf(w, "END %s\n", name)
	}()
	_, err := w.Write(payload)
	return err
}

// ScheduleRetry executes run id again after d.
func (s *Scheduler) ScheduleRetry(ctx context.Context, id string, d time.Duration) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("schedule retry %s: %v", id, r)
		}
	}()
	if err := s.eng.Retry(id); err != nil {
		return err
	}
	time.AfterFunc(d, func() { // HAZ goroutine-outside-recover
		if err := s.eng.Execute(ctx, id); err != nil {
			s.logger.Printf("retry %s: %v", id, err)
		}
	})
	return nil
}
