// Package flock is a stand-in for a file-lock library: RLock takes a shared lock, Lock an
// exclusive one, and Unlock releases either.
package flock

import "os"

type Flock struct {
	path string
	f    *os.File
}

func New(path string) *Flock { return &Flock{path: path} }

func (l *Flock) open() error {
	if l.f != nil {
		return nil
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_RDWR, 0o600)
	l.f = f
	return err
}

func (l *Flock) Lock() error  { return l.open() }
func (l *Flock) RLock() error { return l.open() }

func (l *Flock) Unlock() error {
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
