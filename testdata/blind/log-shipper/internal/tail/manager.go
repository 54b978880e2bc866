package tail

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Manager follows a set of files, one goroutine per file.
type Manager struct {
	mu      sync.Mutex
	tailers map[string]*Tailer
	every   time.Duration
	logf    func(string, ...any)
	onStop  func(path string) // optional, set with OnStop
}

// NewManager returns a manager polling every interval.
func NewManager(every time.Duration, logf func(string, ...any)) *Manager {
	return &Manager{tailers: make(map[string]*Tailer), every: every, logf: logf}
}

// Run starts one follower per path, resuming at offsets(path), and blocks
// until ctx is done and every follower has exited. out is closed on return,
// so the downstream pipeline sees the end of input.
func (m *Manager) Run(ctx context.Context, paths []string, offsets func(string) int64, out chan<- Line) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(paths))
	for _, p := range paths {
		t, err := Open(p, offsets(p))
		if err != nil {
			m.logf("tail: skipping %s: %v", p, err)
			continue
		}
		m.add(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := m.followSafe(ctx, t, out)
			m.remove(t)
			if err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("tail %s: %w", t.Path(), err)
			}
		}()
	}
	wg.Wait()
	close(out)
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (m *Manager) add(t *Tailer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tailers[t.Path()] = t
}

func (m *Manager) remove(t *Tailer) {
	m.mu.Lock()
	delete(m.tailers, t.Path())
	m.mu.Unlock()
	if err := t.Close(); err != nil {
		m.logf("tail: close %s: %v", t.Path(), err)
	}
}

// Offsets returns the committed offset of every active tailer.
func (m *Manager) Offsets() map[string]int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]int64, len(m.tailers))
	for p, t := range m.tailers {
		out[p] = t.Offset()
	}
	return out
}

// Active reports how many files are being followed.
func (m *Manager) Active() int {
	m.mu.Lock()
	n := len(m.tailers)
	m.mu.Unlock()
	return n
}

// Prime opens every path concurrently to check that the agent can read it
// before it starts; the result has one entry per path.
func (m *Manager) Prime(paths []string) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(paths))
	for i := range paths {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t, err := Open(paths[i], 0)
			if err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			errs[i] = t.Close()
		}(i)
	}
	wg.Wait()
	return errs
}

// OnStop registers fn to be called with the path of every follower that
// stops.
func (m *Manager) OnStop(fn func(path string)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onStop = fn
}

// followSafe runs one follower and turns a panic into an error, so one
// broken file does not bring the other followers down.
func (m *Manager) followSafe(ctx context.Context, t *Tailer, out chan<- Line) (err error) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("tail %s: panic: %v", t.Path(), r)
			}
		}
		report()
	}()
	return m.followOne(ctx, t, out)
}

// followOne follows t and reports its end to the OnStop callback.
func (m *Manager) followOne(ctx context.Context, t *Tailer, out chan<- Line) error {
	defer m.onStop(t.Path()) // HAZ defer-nil-func
	return t.Follow(ctx, out, m.every)
}

// Stop stops following path (its follower exits on its next poll with a
// closed-file error).
func (m *Manager) Stop(path string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tailers[path]
	if !ok {
		return false
	}
	m.remove(t) // HAZ lock-reentry-under-defer
	return true
}
