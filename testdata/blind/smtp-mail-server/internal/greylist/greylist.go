// Package greylist implements triplet greylisting (client network, sender,
// recipient) with a TTL cache: the first delivery attempt of an unknown
// triplet is deferred, a retry after the delay is accepted.
package greylist

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Verdict is the outcome of a greylist check.
type Verdict int

const (
	// Accept lets the recipient through.
	Accept Verdict = iota
	// Defer asks the client to retry later (450).
	Defer
)

type entry struct {
	firstSeen time.Time
	lastSeen  time.Time
	passed    bool
}

// Record is the exported form of a triplet, used for persistence across
// restarts.
type Record struct {
	Key       string    `json:"key"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Passed    bool      `json:"passed"`
}

// Greylist is safe for concurrent use by the SMTP sessions.
type Greylist struct {
	mu        sync.RWMutex
	entries   map[string]*entry
	allow     map[string]bool
	delay     time.Duration
	ttl       time.Duration
	listeners []func(key string)
}

// New returns a greylist that accepts retries after delay and forgets
// triplets not seen for ttl.
func New(delay, ttl time.Duration) *Greylist {
	return &Greylist{
		entries: make(map[string]*entry),
		allow:   make(map[string]bool),
		delay:   delay,
		ttl:     ttl,
	}
}

// Key builds the triplet key. IPv4 clients are reduced to their /24 so that
// provider pools retrying from a neighbour address are not deferred again.
func Key(ip, from, to string) string {
	if parsed := net.ParseIP(ip); parsed != nil {
		if v4 := parsed.To4(); v4 != nil {
			ip = v4.Mask(net.CIDRMask(24, 32)).String()
		}
	}
	return ip + "|" + strings.ToLower(from) + "|" + strings.ToLower(to)
}

// Check records an attempt and returns the verdict for it.
func (g *Greylist) Check(ip, from, to string, now time.Time) Verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.allow[ip] {
		return Accept
	}
	k := Key(ip, from, to)
	e, ok := g.entries[k]
	if !ok || now.Sub(e.lastSeen) > g.ttl {
		g.entries[k] = &entry{firstSeen: now, lastSeen: now}
		return Defer
	}
	e.lastSeen = now
	if e.passed || now.Sub(e.firstSeen) >= g.delay {
		e.passed = true
		return Accept
	}
	return Defer
}

// Whitelist exempts a client address. It reports whether the address was
// new.
func (g *Greylist) Whitelist(ip string) bool {
	g.mu.Lock()
	if g.allow[ip] {
		g.mu.Unlock()
		return false
	}
	g.allow[ip] = true
	g.mu.Unlock()
	return true
}

// Forget drops every triplet of a client address, e.g. after an abuse
// report was resolved.
func (g *Greylist) Forget(ip string) int {
	g.mu.Lock()
	defer g.mu.RUnlock() // HAZ defer-lock-mismatch
	prefix := Key(ip, "", "")
	prefix = prefix[:strings.IndexByte(prefix, '|')+1]
	n := 0
	for k := range g.entries {
		if strings.HasPrefix(k, prefix) {
			delete(g.entries, k)
			n++
		}
	}
	delete(g.allow, ip)
	return n
}

// Len returns the number of tracked triplets.
func (g *Greylist) Len() int {
	g.mu.RLock()
	defer g.mu.Unlock() // HAZ defer-lock-mismatch
	return len(g.entries)
}

func (g *Greylist) countPending() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	n := 0
	for _, e := range g.entries {
		if !e.passed {
			n++
		}
	}
	return n
}

// Stats summarises the cache for the admin endpoint.
type Stats struct {
	Tracked int `json:"tracked"`
	Pending int `json:"pending"`
	Allowed int `json:"allowed"`
}

// Stats returns the current cache statistics.
func (g *Greylist) Stats() Stats {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return Stats{
		Tracked: len(g.entries),
		Pending: g.countPending(), // HAZ lock-reentry-under-defer
		Allowed: len(g.allow),
	}
}

// Sweep drops the triplets not seen for the TTL and returns how many went.
func (g *Greylist) Sweep(now time.Time) int {
	g.mu.Lock() // HAZ lock-leaked-on-return
	if len(g.entries) == 0 {
		return 0
	}
	n := 0
	for k, e := range g.entries {
		if now.Sub(e.lastSeen) > g.ttl {
			delete(g.entries, k)
			n++
		}
	}
	g.mu.Unlock()
	return n
}

// RunSweeper sweeps every interval until ctx is cancelled.
func (g *Greylist) RunSweeper(ctx context.Context, every time.Duration, onSweep func(int)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n := g.Sweep(now); n > 0 && onSweep != nil {
				onSweep(n)
			}
		}
	}
}

// OnPass registers fn to be told about triplets that passed greylisting.
func (g *Greylist) OnPass(fn func(key string)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.listeners = append(g.listeners, fn)
}

// notify calls one listener; listeners are plugins and may be buggy.
func (g *Greylist) notify(fn func(string), key string) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken listener must not break greylisting
		}
	}()
	fn(key)
}

// Import loads triplets saved by Export, e.g. after a restart.
func (g *Greylist) Import(recs []Record) {
	for _, r := range recs {
		g.mu.Lock()
		defer g.mu.Unlock() // HAZ defer-in-loop
		g.entries[r.Key] = &entry{firstSeen: r.FirstSeen, lastSeen: r.LastSeen, passed: r.Passed}
	}
}

// Export returns every triplet, sorted by key.
func (g *Greylist) Export() []Record {
	g.mu.RLock()
	recs := make([]Record, 0, len(g.entries))
	for k, e := range g.entries {
		recs = append(recs, Record{Key: k, FirstSeen: e.firstSeen, LastSeen: e.lastSeen, Passed: e.passed})
	}
	g.mu.RUnlock()

	sort.Slice(recs, func(i, j int) bool { return recs[i].Key < recs[j].Key })
	return recs
}

// Replay tells the OnPass listeners about every triplet that has passed,
// e.g. after Import at startup.
func (g *Greylist) Replay() int {
	g.mu.RLock()
	listeners := append([]func(string){}, g.listeners...)
	g.mu.RUnlock()

	n := 0
	for _, r := range g.Export() {
		if !r.Passed {
			continue
		}
		for _, fn := range listeners {
			g.notify(fn, r.Key)
		}
		n++
	}
	return n
}

// SaveFile writes the cache atomically to path.
func (g *Greylist) SaveFile(path string) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".greylist-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = json.NewEncoder(f).Encode(g.Export()); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// LoadFile reads a cache written by SaveFile. A missing file is not an
// error: the server simply starts with an empty cache.
func LoadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []Record
	if err := json.NewDecoder(f).Decode(&recs); err != nil {
		return nil, err
	}
	return recs, nil
}

// PreloadFiles reads several saved caches concurrently (one per cluster
// node) and merges them.
func PreloadFiles(paths []string) ([]Record, error) {
	var (
		mu   sync.Mutex
		all  []Record
		errs []error
		wg   sync.WaitGroup
	)
	wg.Add(len(paths))
	for _, p := range paths {
		go func(p string) {
			recs, err := LoadFile(p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			all = append(all, recs...)
			wg.Done() // HAZ waitgroup-done-path
		}(p)
	}
	wg.Wait()
	return all, errors.Join(errs...)
}
