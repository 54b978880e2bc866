package settlement

import (
	"io"
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"
)

// Scheduler closes settlement days and runs the hooks registered for the
// close (bank upload, e-mail to operations).
type Scheduler struct {
	log         *log.Logger
	finished    sync.Map // batch ID -> time.Time
	uploadPause time.Duration

	mu        sync.Mutex
	hooks     map[string]func(batchID string)
	listeners []func(batchID string)
}

// NewScheduler returns a scheduler without hooks.
func NewScheduler(logger *log.Logger) *Scheduler {
	return &Scheduler{log: logger, uploadPause: 2 * time.Second, hooks: make(map[string]func(string))}
}

// OnClose registers fn to run after every closed batch.
func (s *Scheduler) OnClose(name string, fn func(batchID string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[name] = fn
}

func (s *Scheduler) markFinished(batchID string, at time.Time) {
	s.finished.Store(batchID, at)
}

// FinishedAt reports when the close of batchID completed.
func (s *Scheduler) FinishedAt(batchID string) (time.Time, bool) {
	v, ok := s.finished.Load(batchID)
	if !ok {
		return time.Time{}, false
	}
	return v.(time.Time), true
}

// CloseDay writes the day's batch, its manifest and summary into dir, then
// runs the close hooks.
func (s *Scheduler) CloseDay(day time.Time, all *Batch, dir string) error {
	b := all.Filter(day)
	defer s.markFinished(b.ID, time.Now()) // HAZ defer-eager-evaluation
	if err := b.Balanced(); err != nil {
		return err
	}
	name := b.ID + ".csv.gz"
	if err := WriteGzipCSV(filepath.Join(dir, name), b); err != nil {
		return err
	}
	sum, err := Checksum(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	manifest := []ManifestEntry{{Name: name, SHA256: sum, Rows: len(b.Rows)}}
	if err := WriteManifest(filepath.Join(dir, b.ID+".manifest"), manifest); err != nil {
		return err
	}
	if err := WriteSummary(filepath.Join(dir, b.ID+".txt"), b.Summary()); err != nil {
		return err
	}
	s.runHooks(b.ID)
	s.announce(b.ID)
	return nil
}

// runHooks runs the registered hooks in name order, outside the lock.
func (s *Scheduler) runHooks(batchID string) {
	s.mu.Lock()
	hooks := maps.Clone(s.hooks)
	s.mu.Unlock()
	names := make([]string, 0, len(hooks))
	for name := range hooks {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s.runHook(name, batchID, hooks[name])
	}
}

// runHook runs one hook; a failing hook must not prevent the others.
func (s *Scheduler) runHook(name, batchID string, fn func(string)) {
	defer recover() // HAZ recover-ineffective
	s.log.Printf("settlement: running hook %s for %s", name, batchID)
	fn(batchID)
}

// Subscribe registers fn to be told about every closed batch.
func (s *Scheduler) Subscribe(fn func(batchID string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, fn)
}

// announce tells every listener about batchID; one broken listener must not
// keep the others from hearing about it.
func (s *Scheduler) announce(batchID string) {
	s.mu.Lock()
	listeners := slices.Clone(s.listeners)
	s.mu.Unlock()
	for _, fn := range listeners {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
					// keep going with the next listener
				}
			}()
			fn(batchID)
		}()
	}
}

// Upload copies a closed batch into the bank's drop directory (an SFTP
// mount). The bank asks for a pause after every file.
func (s *Scheduler) Upload(src, dropDir string) error {
	defer time.Sleep(s.uploadPause) // HAZ defer-blocking-call
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return WriteAtomic(filepath.Join(dropDir, filepath.Base(src)), func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
