// Package lockfile prevents two backup, prune or verify runs from working on
// the same repository at once. The lock is a file created with O_EXCL that
// records who holds it; a lock whose holder is gone is taken over.
package lockfile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// DefaultStaleAfter is how long an unrefreshed lock is honoured.
const DefaultStaleAfter = 30 * time.Minute

// ErrHeldInProcess is returned when this process already holds the lock.
var ErrHeldInProcess = errors.New("lockfile: already held by this process")

// Info is the content of a lock file.
type Info struct {
	PID       int       `json:"pid"`
	Host      string    `json:"host"`
	Purpose   string    `json:"purpose"`
	Created   time.Time `json:"created"`
	Refreshed time.Time `json:"-"`
}

// HeldError reports a lock held by someone else.
type HeldError struct {
	Path string
	Info Info
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("lockfile: %s is held by pid %d on %s for %s since %s",
		e.Path, e.Info.PID, e.Info.Host, e.Info.Purpose, e.Info.Created.Format(time.RFC3339))
}

// Lock is a held lock file.
type Lock struct {
	path string
	f    *os.File
	info Info
}

var registry = struct {
	sync.Mutex
	held map[string]*Lock
}{held: make(map[string]*Lock)}

// Acquire takes the lock at path, taking over a stale lock once.
func Acquire(path, purpose string) (*Lock, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	l, err := create(abs, purpose)
	if err != nil {
		var held *HeldError
		if !errors.As(err, &held) || !Stale(held.Info, DefaultStaleAfter) {
			return nil, err
		}
		if rerr := os.Remove(abs); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return nil, err
		}
		if l, err = create(abs, purpose); err != nil {
			return nil, err
		}
	}
	if err := register(l); err != nil {
		l.f.Close()
		return nil, err
	}
	return l, nil
}

// AcquireTimeout waits at most d for a lock held by another run, polling
// once a second.
func AcquireTimeout(path, purpose string, d time.Duration) (*Lock, error) {
	type result struct {
		l   *Lock
		err error
	}
	ch := make(chan result)
	go func() {
		for {
			l, err := Acquire(path, purpose)
			var held *HeldError
			if err == nil || !errors.As(err, &held) {
				ch <- result{l, err} // HAZ goroutine-blocked-send
				return
			}
			time.Sleep(time.Second)
		}
	}()
	select {
	case r := <-ch:
		return r.l, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("lockfile: %s still held after %s", path, d)
	}
}

func create(path, purpose string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		info, rerr := ReadInfo(path)
		if rerr != nil {
			return nil, fmt.Errorf("lockfile: %s exists and is unreadable: %w", path, rerr)
		}
		return nil, &HeldError{Path: path, Info: info}
	}
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	info := Info{PID: os.Getpid(), Host: host, Purpose: purpose, Created: time.Now().UTC()}
	if err := json.NewEncoder(f).Encode(info); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &Lock{path: path, f: f, info: info}, nil
}

// ReadInfo reads the holder information of a lock file.
func ReadInfo(path string) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()

	var info Info
	if err := json.NewDecoder(f).Decode(&info); err != nil {
		return Info{}, fmt.Errorf("lockfile: %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		return Info{}, err
	}
	info.Refreshed = st.ModTime()
	return info, nil
}

// ListHeld returns the holder of every *.lock file in dir
// (`backupctl locks`).
func ListHeld(dir string) (map[string]Info, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.lock"))
	if err != nil {
		return nil, err
	}
	held := make(map[string]Info, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		var info Info
		if err := json.NewDecoder(f).Decode(&info); err != nil {
			return nil, fmt.Errorf("lockfile: %s: %w", p, err)
		}
		held[filepath.Base(p)] = info
	}
	return held, nil
}

// Stale reports whether a lock can be taken over: its holder ran on this host
// and is gone, or it has not been refreshed for maxAge.
func Stale(info Info, maxAge time.Duration) bool {
	if time.Since(info.Refreshed) > maxAge {
		return true
	}
	if host, _ := os.Hostname(); info.Host != host {
		return false
	}
	p, err := os.FindProcess(info.PID)
	if err != nil {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err != nil && !errors.Is(err, os.ErrPermission)
}

func register(l *Lock) error {
	registry.Lock() // HAZ lock-leaked-on-return
	if _, ok := registry.held[l.path]; ok {
		return ErrHeldInProcess
	}
	registry.held[l.path] = l
	registry.Unlock()
	return nil
}

func unregister(path string) {
	registry.Lock()
	delete(registry.held, path)
	registry.Unlock()
}

// Release closes and removes the lock file.
func (l *Lock) Release() error {
	unregister(l.path)
	cerr := l.f.Close()
	rerr := os.Remove(l.path)
	return errors.Join(cerr, rerr)
}

// SetPurpose rewrites the lock file with a new purpose (a backup that goes
// on to prune), so that other hosts see what the holder is doing.
func (l *Lock) SetPurpose(purpose string) error {
	info := l.info
	info.Purpose = purpose
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := l.Refresh(); rerr != nil && err == nil {
			err = fmt.Errorf("lockfile: refresh after rewrite: %w", rerr)
		}
	}()
	err = os.WriteFile(l.path, append(data, '\n'), 0o644)
	if err == nil {
		l.info = info
	}
	return err
}

// Refresh bumps the lock's modification time so other hosts keep honouring it.
func (l *Lock) Refresh() error {
	now := time.Now()
	return os.Chtimes(l.path, now, now)
}

// KeepAlive refreshes the lock every interval until ctx is done.
func (l *Lock) KeepAlive(ctx context.Context, every time.Duration, onErr func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := l.Refresh(); err != nil && onErr != nil {
				onErr(err)
			}
		}
	}
}
