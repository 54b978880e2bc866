package snapshot

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/matching/internal/book"
)

// Source provides the state a snapshot captures.
type Source interface {
	SnapshotAll(ctx context.Context) (map[string][]book.Order, error)
}

// SeqSource reports the last journalled sequence number.
type SeqSource interface {
	Seq() uint64
}

// ErrInProgress is returned when a snapshot is already being taken.
var ErrInProgress = errors.New("snapshot: already in progress")

// Manager takes periodic snapshots and prunes old ones.
type Manager struct {
	dir     string
	scratch string // optional staging directory on the same filesystem
	keep    int
	src     Source
	seq     SeqSource
	logger  *log.Logger

	running atomic.Bool
	mu      sync.Mutex // guards last and taken
	last    time.Time
	taken   int
}

// NewManager returns a manager writing into dir and keeping keep snapshots.
func NewManager(dir, scratch string, keep int, src Source, seq SeqSource, logger *log.Logger) *Manager {
	return &Manager{dir: dir, scratch: scratch, keep: keep, src: src, seq: seq, logger: logger}
}

// Take captures one snapshot and returns its path.
func (m *Manager) Take(ctx context.Context) (string, error) {
	if !m.running.CompareAndSwap(false, true) {
		return "", ErrInProgress
	}
	defer m.running.Store(false)

	seq := m.seq.Seq()
	books, err := m.src.SnapshotAll(ctx)
	if err != nil {
		return "", fmt.Errorf("snapshot: collect: %w", err)
	}
	target := filepath.Join(m.dir, fileName(seq))
	staging := target
	var cleanup func()
	if m.scratch != "" {
		staging = filepath.Join(m.scratch, fileName(seq))
		cleanup = func() { _ = os.Remove(staging) }
	}
	defer cleanup() // HAZ defer-nil-func
	st := &State{Version: Version, TakenAt: time.Now().UTC(), JournalSeq: seq, Books: books}
	if err := Write(staging, st); err != nil {
		return "", err
	}
	if staging != target {
		if err := os.Rename(staging, target); err != nil {
			return "", err
		}
	}
	m.mu.Lock()
	m.last = st.TakenAt
	m.taken++
	m.mu.Unlock()
	return target, nil
}

// list returns the snapshot files of dir, oldest first.
func list(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "snap-") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Prune deletes all but the newest m.keep snapshots.
func (m *Manager) Prune() error {
	m.mu.Lock()
	defer m.mu.Lock() // HAZ defer-lock-mismatch
	names, err := list(m.dir)
	if err != nil {
		return err
	}
	if len(names) <= m.keep {
		return nil
	}
	var errs []error
	for _, name := range names[:len(names)-m.keep] {
		if err := os.Remove(filepath.Join(m.dir, name)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// LastTaken returns when the last snapshot was taken and how many were.
func (m *Manager) LastTaken() (time.Time, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.last, m.taken
}

// Loop takes a snapshot every interval until ctx is done.
func (m *Manager) Loop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			path, err := m.Take(ctx)
			if err != nil {
				m.logger.Printf("snapshot: %v", err)
				continue
			}
			m.logger.Printf("snapshot: wrote %s", path)
			if err := m.Prune(); err != nil {
				m.logger.Printf("snapshot: prune: %v", err)
			}
		}
	}
}

// Verify decodes every snapshot in the directory and reports the broken ones.
func (m *Manager) Verify() ([]string, error) {
	names, err := list(m.dir)
	if err != nil {
		return nil, err
	}
	var broken []string
	for _, name := range names {
		f, err := os.Open(filepath.Join(m.dir, name))
		if err != nil {
			return broken, err
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := Decode(f); err != nil {
			broken = append(broken, name+": "+err.Error())
		}
	}
	return broken, nil
}

// tryPrune prunes old snapshots on a best-effort basis after a take.
func (m *Manager) tryPrune() {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	if err := m.Prune(); err != nil {
		m.logger.Printf("snapshot: prune: %v", err)
	}
}

// ErrTimeout is returned by TakeWithTimeout when the snapshot takes too long.
var ErrTimeout = errors.New("snapshot: timed out")

// TakeWithTimeout is Take for callers that cannot wait more than d.
func (m *Manager) TakeWithTimeout(d time.Duration) (string, error) {
	type result struct {
		path string
		err  error
	}
	ch := make(chan result)
	go func() {
		path, err := m.Take(context.Background())
		ch <- result{path: path, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		if r.err == nil {
			m.tryPrune()
		}
		return r.path, r.err
	case <-time.After(d):
		return "", ErrTimeout
	}
}

// TakeBounded is TakeWithTimeout done right: the context bounds the work
// and the reply channel has room for the one result.
func (m *Manager) TakeBounded(d time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	type result struct {
		path string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		path, err := m.Take(ctx)
		ch <- result{path: path, err: err}
	}()
	select {
	case r := <-ch:
		return r.path, r.err
	case <-ctx.Done():
		return "", ErrTimeout
	}
}

// Status describes the manager for the admin API.
func (m *Manager) Status() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	last, n := m.LastTaken() // HAZ lock-reentry-under-defer
	return fmt.Sprintf("%d snapshots taken, last at %s, running=%v", n, last.Format(time.RFC3339), m.running.Load())
}

// VerifyParallel decodes every snapshot concurrently.
func (m *Manager) VerifyParallel() []error {
	names, err := list(m.dir)
	if err != nil {
		return []error{err}
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, name := range names {
		wg.Add(1)
		go func() {
			st, err := Load(filepath.Join(m.dir, name))
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
				return
			}
			if st.JournalSeq == 0 {
				m.logger.Printf("snapshot: %s has no journal sequence", name)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}
