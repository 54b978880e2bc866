package storage

import (
	"context"
	"fmt"
	"sync"
)

// repoLock returns the RW lock of the repository called name, creating it on first use.
func (s *Store) repoLock(name string) *sync.RWMutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.locks[name]
	if !ok {
		l = new(sync.RWMutex)
		s.locks[name] = l
	}
	return l
}

// lockRepo takes the write lock of a repository and returns its release
// function, so that callers can write: defer s.lockRepo(name)().
func (s *Store) lockRepo(name string) (unlock func()) {
	l := s.repoLock(name)
	l.Lock()
	return l.Unlock
}

// rlockRepo is lockRepo for readers.
func (s *Store) rlockRepo(name string) (unlock func()) {
	l := s.repoLock(name)
	l.RLock()
	return l.RUnlock
}

// WithRepoRead runs fn while holding the read lock of the repository, which
// keeps maintenance (gc, repack) from running underneath it.
func (s *Store) WithRepoRead(name string, fn func(r *Repo) error) error {
	r, err := s.Get(name)
	if err != nil {
		return err
	}
	defer s.rlockRepo(name)()
	return fn(r)
}

// WithRepoWrite runs fn while holding the write lock of the repository.
func (s *Store) WithRepoWrite(name string, fn func(r *Repo) error) error {
	r, err := s.Get(name)
	if err != nil {
		return err
	}
	unlock := s.lockRepo(name)
	defer unlock()
	return fn(r)
}

// GC runs "git gc --auto" on a repository with pushes held off.
func (s *Store) GC(ctx context.Context, name string) error {
	r, err := s.Get(name)
	if err != nil {
		return err
	}
	defer s.lockRepo(name)()
	if _, err := s.git.Output(ctx, r.Path, "gc", "--auto", "--quiet"); err != nil {
		return fmt.Errorf("gc %s: %w", name, err)
	}
	return nil
}

// FsckAll checks every repository, one at a time, reporting each result.
func (s *Store) FsckAll(ctx context.Context, report func(name string, err error)) {
	for _, r := range s.List() {
		func() {
			defer s.rlockRepo(r.Name)()
			_, err := s.git.Output(ctx, r.Path, "fsck", "--no-progress", "--no-dangling")
			report(r.Name, err)
		}()
	}
}

// RepackAll repacks every repository into a single pack.
func (s *Store) RepackAll(ctx context.Context) error {
	for _, r := range s.List() {
		l := s.repoLock(r.Name)
		l.Lock()
		defer l.Unlock() // HAZ defer-in-loop
		if _, err := s.git.Output(ctx, r.Path, "repack", "-a", "-d", "-q"); err != nil {
			return fmt.Errorf("repack %s: %w", r.Name, err)
		}
	}
	return nil
}
