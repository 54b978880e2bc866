package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
)

// Lease is an advisory lock file inside the store.
type Lease struct {
	root *os.Root
	name string
}

// Acquire creates the lease file exclusively.
func (s *Store) Acquire(name string) (*Lease, error) {
	f, err := s.root.OpenFile(name+".lease", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("store: lease %s is held", name)
	}
	if err != nil {
		return nil, err
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()))
	return &Lease{root: s.root, name: name}, errors.Join(werr, f.Close())
}

// Release removes the lease file.
func (l *Lease) Release() error {
	return l.root.Remove(l.name + ".lease")
}

// WithLease runs fn while holding the lease and reports a failed release.
func (s *Store) WithLease(name string, fn func() error) (err error) {
	l, err := s.Acquire(name)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := l.Release(); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	return fn()
}

// Migrate renames owner a to b under the "migrate" lease.
func (s *Store) Migrate(from, to string) error {
	var err error
	l, err := s.Acquire("migrate")
	if err != nil {
		return err
	}
	defer func() {
		if rerr := l.Release(); rerr != nil {
			err = fmt.Errorf("release migrate lease: %w", rerr) // HAZ defer-ineffective-return
		}
	}()
	ids, err := s.IDs()
	if err != nil {
		return err
	}
	for _, id := range ids {
		rec, lerr := s.Load(id)
		if lerr != nil {
			return lerr
		}
		if rec.Owner == from {
			rec.Owner = to
			if err = s.Save(rec); err != nil {
				return err
			}
		}
	}
	return err
}
