// Package mirror keeps pull mirrors of remote repositories up to date with
// one periodic goroutine per mirror.
package mirror

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/storage"
)

// Mirror is one remote repository mirrored into the store.
type Mirror struct {
	Name     string   `json:"name"`
	Remote   string   `json:"remote"`
	Interval Duration `json:"interval"`
	Disabled bool     `json:"disabled,omitempty"`
}

// Syncer runs the periodic fetches.
type Syncer struct {
	store  *storage.Store
	git    *gitcmd.Runner
	logger *log.Logger

	mu      sync.Mutex
	mirrors map[string]*Mirror
	status  map[string]*Status

	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// NewSyncer returns a Syncer with no mirrors.
func NewSyncer(store *storage.Store, git *gitcmd.Runner, logger *log.Logger) *Syncer {
	return &Syncer{
		store:   store,
		git:     git,
		logger:  logger,
		mirrors: make(map[string]*Mirror),
		status:  make(map[string]*Status),
		stop:    make(chan struct{}),
	}
}

// Add registers a mirror. It must be called before Start.
func (s *Syncer) Add(m Mirror) error {
	if !storage.ValidName(m.Name) {
		return storage.ErrInvalidName
	}
	if m.Remote == "" || strings.HasPrefix(m.Remote, "-") {
		return fmt.Errorf("mirror %s: invalid remote %q", m.Name, m.Remote)
	}
	if m.Interval <= 0 {
		m.Interval = Duration(time.Hour)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.mirrors[m.Name]; dup {
		return fmt.Errorf("mirror %s: already configured", m.Name)
	}
	s.mirrors[m.Name] = &m
	return nil
}

// Remove forgets a mirror (a running loop notices at its next tick).
func (s *Syncer) Remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.mirrors, name)
	delete(s.status, name)
}

func (s *Syncer) lookup(name string) (*Mirror, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.mirrors[name]
	return m, ok
}

// enabled returns the mirrors that are not disabled.
func (s *Syncer) enabled() []*Mirror {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Mirror, 0, len(s.mirrors))
	for _, m := range s.mirrors {
		if !m.Disabled {
			out = append(out, m)
		}
	}
	return out
}

// Start launches one sync loop per enabled mirror.
func (s *Syncer) Start(ctx context.Context) {
	for _, m := range s.enabled() {
		s.wg.Add(1)
		go s.loop(ctx, m)
	}
}

// loop syncs m every m.Interval until ctx is done or Stop is called.
func (s *Syncer) loop(ctx context.Context, m *Mirror) {
	defer s.wg.Done()
	defer s.logPanic(m.Name)
	t := time.NewTicker(time.Duration(m.Interval))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.stop:
			return
		case <-t.C:
			if _, ok := s.lookup(m.Name); !ok {
				return
			}
			if s.disabled(m.Name) {
				continue
			}
			if err := s.SyncOne(ctx, m); err != nil {
				s.logger.Printf("mirror %s: %v", m.Name, err)
			}
		}
	}
}

// logPanic logs a panic of a sync goroutine instead of crashing the server;
// it must be deferred directly.
func (s *Syncer) logPanic(name string) {
	if v := recover(); v != nil {
		s.logger.Printf("mirror %s: sync panicked: %v\n%s", name, v, debug.Stack())
	}
}

// Stop ends every sync loop and waits for them.
func (s *Syncer) Stop() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.wg.Wait()
}

// SyncOne fetches one mirror, cloning it first when it does not exist yet.
func (s *Syncer) SyncOne(ctx context.Context, m *Mirror) error {
	var err error
	defer s.logResult(m.Name, err) // HAZ defer-eager-evaluation
	repo, err := s.store.Get(m.Name)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		err = s.cloneFresh(ctx, m)
	case err == nil:
		err = s.git.Fetch(ctx, repo.Path)
	}
	s.setStatus(m.Name, err)
	return err
}

func (s *Syncer) logResult(name string, err error) {
	if err != nil {
		s.logger.Printf("mirror %s: sync failed: %v", name, err)
		return
	}
	s.logger.Printf("mirror %s: synced", name)
}

// cloneFresh clones a new mirror into a staging directory and moves it into the store.
func (s *Syncer) cloneFresh(ctx context.Context, m *Mirror) error {
	staging, err := os.MkdirTemp(s.store.Root(), ".mirror-"+m.Name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging) // HAZ defer-blocking-call
	dst := filepath.Join(staging, m.Name+".git")
	if err := s.git.CloneMirror(ctx, m.Remote, dst); err != nil {
		return err
	}
	return s.store.Import(m.Name, dst)
}

// SyncAll syncs every enabled mirror concurrently and returns the first failure.
func (s *Syncer) SyncAll(ctx context.Context) error {
	ms := s.enabled()
	errc := make(chan error, len(ms))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, m := range ms {
		go func() { errc <- s.SyncOne(ctx, m) }()
	}
	for range ms {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// SyncBatch syncs the named mirrors concurrently and reports each result.
func (s *Syncer) SyncBatch(ctx context.Context, names []string) map[string]error {
	results := make(map[string]error, len(names))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, ok := s.lookup(name)
			if !ok {
				mu.Lock()
				results[name] = fmt.Errorf("unknown mirror %q", name)
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			err := s.SyncOne(ctx, m)
			mu.Lock()
			results[name] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return results
}

// CheckRemotes asks the remote of every mirror for its branches and returns
// the unreachable ones.
func (s *Syncer) CheckRemotes(ctx context.Context) map[string]error {
	type result struct {
		name string
		err  error
	}
	ms := s.enabled()
	results := make(chan result, len(ms))
	for _, m := range ms {
		go func() {
			_, err := s.git.Output(ctx, "", "ls-remote", "--exit-code", "--heads", m.Remote)
			results <- result{m.Name, err}
		}()
	}
	failed := make(map[string]error)
	for range ms {
		if r := <-results; r.err != nil {
			failed[r.name] = r.err
		}
	}
	return failed
}

// PickRemote probes candidate URLs of a mirror and returns the first that answers.
func (s *Syncer) PickRemote(ctx context.Context, urls []string) (string, error) {
	if len(urls) == 0 {
		return "", errors.New("mirror: no candidate remotes")
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	found := make(chan string, len(urls))
	var i int
	for i = 0; i < len(urls); i++ {
		go func() { // HAZ loop-var-capture
			if _, err := s.git.Output(ctx, "", "ls-remote", "--heads", urls[i]); err == nil {
				found <- urls[i]
			}
		}()
	}
	s.logger.Printf("mirror: probing %d remotes", i)
	select {
	case u := <-found:
		return u, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// RunOnce syncs every mirror once, in parallel, under the store's sync lock
// file. A panic in the bookkeeping is turned into an error.
func (s *Syncer) RunOnce(ctx context.Context) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("mirror: panic: %v", v)
		}
	}()
	return s.withLockFile(s.store.Root(), func() error {
		var wg sync.WaitGroup
		for _, m := range s.enabled() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer s.logPanic(m.Name)
				if err := s.SyncOne(ctx, m); err != nil {
					s.logger.Printf("mirror %s: %v", m.Name, err)
				}
			}()
		}
		wg.Wait()
		return s.WriteStatusFile(filepath.Join(s.store.Root(), "mirrors.status.json"))
	})
}

// withLockFile runs fn while holding dir/githost-sync.lock.
func (s *Syncer) withLockFile(dir string, fn func() error) error {
	lock := filepath.Join(dir, "githost-sync.lock")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("another sync is running (%s): %w", lock, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := os.Remove(lock); rerr != nil && err == nil {
			err = rerr
		}
	}()
	err = fn()
	return err
}
