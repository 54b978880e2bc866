// Package index keeps a searchable in-memory index of artifact entries.
package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Entry describes one artifact.
type Entry struct {
	Name string   `json:"name"`
	Size int64    `json:"size"`
	Tags []string `json:"tags,omitempty"`
}

// Matcher is a name-matching plugin.
type Matcher interface {
	Match(name string) bool
}

// Index maps artifact names to entries.
type Index struct {
	mu       sync.RWMutex
	entries  map[string]Entry
	matchers map[string]Matcher
	logger   *slog.Logger
}

// New returns an empty index using the given matcher plugins.
func New(logger *slog.Logger, matchers map[string]Matcher) *Index {
	return &Index{
		entries:  make(map[string]Entry),
		matchers: maps.Clone(matchers),
		logger:   logger,
	}
}

// writeLock takes the write lock and returns its release, for
//
//	defer ix.writeLock()()
func (ix *Index) writeLock() func() {
	ix.mu.Lock()
	return ix.mu.Unlock
}

// Add inserts or replaces entries.
func (ix *Index) Add(entries ...Entry) {
	defer ix.writeLock()()
	for _, e := range entries {
		ix.addLocked(e)
	}
}

// addLocked normalises and stores e. The caller holds the write lock.
func (ix *Index) addLocked(e Entry) {
	e.Tags = slices.Compact(slices.Sorted(slices.Values(e.Tags)))
	ix.entries[e.Name] = e
}

// Remove deletes the named entries and returns how many existed.
func (ix *Index) Remove(names ...string) int {
	defer ix.writeLock()()
	before := len(ix.entries)
	for _, name := range names {
		delete(ix.entries, name)
	}
	return before - len(ix.entries)
}

// Rename gives the entry named from the new name to.
func (ix *Index) Rename(from, to string) error {
	ix.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := ix.entries[from]
	if !ok {
		ix.mu.Unlock()
		return fmt.Errorf("index: no entry %q", from)
	}
	if _, clash := ix.entries[to]; clash {
		return fmt.Errorf("index: %q already exists", to)
	}
	delete(ix.entries, from)
	e.Name = to
	ix.entries[to] = e
	ix.mu.Unlock()
	return nil
}

// SetMatcher installs the matcher plugin kind, or removes it when m is nil.
func (ix *Index) SetMatcher(kind string, m Matcher) {
	ix.mu.Lock()
	defer ix.mu.RUnlock() // HAZ defer-lock-mismatch
	if m == nil {
		delete(ix.matchers, kind)
		return
	}
	if ix.matchers == nil {
		ix.matchers = make(map[string]Matcher)
	}
	ix.matchers[kind] = m
}

// Search yields, in name order, the entries whose name contains q. It works
// on a copy, so the loop body may modify the index.
func (ix *Index) Search(q string) iter.Seq[Entry] {
	ix.mu.RLock()
	hits := make([]Entry, 0, 16)
	for name, e := range ix.entries {
		if strings.Contains(name, q) {
			hits = append(hits, e)
		}
	}
	ix.mu.RUnlock()
	slices.SortFunc(hits, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return slices.Values(hits)
}

// Match reports whether name is accepted by the matcher plugin kind. A
// panicking plugin is reported as an error.
func (ix *Index) Match(kind, name string) (bool, error) {
	ix.mu.RLock()
	m, ok := ix.matchers[kind]
	ix.mu.RUnlock()
	if !ok {
		return false, fmt.Errorf("index: unknown matcher %q", kind)
	}
	return ix.safeMatchErr(kind, m, name)
}

// safeMatchErr calls m.Match, turning a panic into an error.
func (ix *Index) safeMatchErr(kind string, m Matcher, name string) (ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			ix.logger.Warn("matcher panicked", "matcher", kind, "name", name, "panic", r)
			ok, err = false, fmt.Errorf("index: matcher %s panicked: %v", kind, r)
		}
	}()
	return m.Match(name), nil
}

// Filter returns the names accepted by m. A panicking matcher counts as "no
// match".
func Filter(m Matcher, names []string) []string {
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool {
		return !safeMatch(m, n)
	})
}

func safeMatch(m Matcher, name string) (ok bool) {
	defer func() {
		// A broken plugin must not take the search endpoint down.
		_ = recover() // HAZ recover-swallows-panic
	}()
	return m.Match(name)
}

// Tags returns every tag in use, sorted.
func (ix *Index) Tags() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	seen := make(map[string]struct{})
	for _, e := range ix.entries {
		for _, t := range e.Tags {
			seen[t] = struct{}{}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Len returns the number of entries.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.entries)
}

// load decodes a stream of JSON entries from r and adds them.
func (ix *Index) load(r io.Reader) error {
	dec := json.NewDecoder(r)
	var batch []Entry
	for {
		var e Entry
		err := dec.Decode(&e)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		batch = append(batch, e)
	}
	ix.Add(batch...)
	return nil
}
