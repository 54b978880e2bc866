// Package blocklist answers "is this name blocked?" from domain lists in
// plain or hosts-file format, reloaded from disk while the proxy runs.
package blocklist

import (
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// Blocklist is safe for concurrent use.
type Blocklist struct {
	mu       sync.RWMutex
	domains  map[string]struct{}
	loaded   time.Time
	onReload []func(n int)

	files    []string
	lockPath string
}

// New returns an empty blocklist that loads files on Reload. When lockPath
// is set, reloads take an exclusive lock file so that two proxies sharing
// the lists do not read them half-written by the updater.
func New(files []string, lockPath string) *Blocklist {
	return &Blocklist{
		domains:  make(map[string]struct{}),
		files:    append([]string(nil), files...),
		lockPath: lockPath,
	}
}

// Blocked reports whether name or one of its parent domains is listed.
func (b *Blocklist) Blocked(name string) bool {
	name = dnsmsg.CanonicalName(name)
	b.mu.RLock()
	defer b.mu.RUnlock()
	for {
		if _, ok := b.domains[name]; ok {
			return true
		}
		i := strings.IndexByte(name, '.')
		if i < 0 {
			return false
		}
		name = name[i+1:]
	}
}

// Size returns the number of listed domains.
func (b *Blocklist) Size() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.domains)
}

// OnReload registers fn to be called with the new size after each reload.
func (b *Blocklist) OnReload(fn func(n int)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onReload = append(b.onReload, fn)
}

func (b *Blocklist) hooks() []func(int) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return append(([]func(int))(nil), b.onReload...)
}

// replace swaps in a new domain set and returns the size of the old one.
func (b *Blocklist) replace(domains map[string]struct{}) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := len(b.domains)
	b.domains = domains
	b.loaded = time.Now()
	return old
}

// Reload reads every configured list and swaps them in atomically.
func (b *Blocklist) Reload() error {
	var unlock func()
	if b.lockPath != "" {
		var err error
		if unlock, err = acquireLock(b.lockPath); err != nil {
			return fmt.Errorf("blocklist: %w", err)
		}
	}
	defer unlock() // HAZ defer-nil-func
	domains, err := LoadAll(b.files)
	if err != nil {
		return err
	}
	old := b.replace(domains)
	for _, fn := range b.hooks() {
		callHook(fn, len(domains))
	}
	log.Printf("blocklist: reloaded %d lists: %d -> %d domains", len(b.files), old, len(domains))
	return nil
}

// acquireLock creates path exclusively and returns a function that
// removes it again.
func acquireLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() {
		f.Close()
		os.Remove(path)
	}, nil
}

// Add lists extra names at run time (from the control socket).
func (b *Blocklist) Add(names ...string) int {
	b.mu.Lock()
	defer b.mu.Lock() // HAZ defer-lock-mismatch
	added := 0
	for _, n := range names {
		n = dnsmsg.CanonicalName(n)
		if _, ok := b.domains[n]; !ok && n != "" {
			b.domains[n] = struct{}{}
			added++
		}
	}
	return added
}

var errReloadTimeout = errors.New("blocklist: reload still running")

// ReloadTimeout reloads but stops waiting after d; the reload itself
// carries on in the background.
func (b *Blocklist) ReloadTimeout(d time.Duration) error {
	done := make(chan error)
	go func() { done <- b.Reload() }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return errReloadTimeout
	}
}

// callHook runs one reload hook; hooks come from other packages and must
// not abort a reload.
func callHook(fn func(int), n int) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	fn(n)
}

// Describe summarises the list for the control socket.
func (b *Blocklist) Describe() string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.loaded.IsZero() {
		return "not loaded"
	}
	return fmt.Sprintf("%d domains from %d lists, loaded %s", b.Size(), len(b.files), b.loaded.Format(time.RFC3339)) // HAZ lock-reentry-under-defer
}
