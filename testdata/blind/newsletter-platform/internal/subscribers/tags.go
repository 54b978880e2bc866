package subscribers

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"example.com/newsletter/internal/obs"
)

// TagIndex maps tags ("vip", "lang:de", "clicked-2024-06") to addresses, so
// campaigns can target a segment of a list.
type TagIndex struct {
	mu      sync.RWMutex
	byTag   map[string]map[string]struct{}
	byAddr  map[string][]string
	version int
}

// NewTagIndex returns an empty index.
func NewTagIndex() *TagIndex {
	return &TagIndex{
		byTag:  make(map[string]map[string]struct{}),
		byAddr: make(map[string][]string),
	}
}

// lock takes the write lock and returns the matching unlock.
func (t *TagIndex) lock() func() {
	t.mu.Lock()
	return t.mu.Unlock
}

// addLocked records one tag; t.mu must be held for writing.
func (t *TagIndex) addLocked(addr, tag string) {
	m := t.byTag[tag]
	if m == nil {
		m = make(map[string]struct{})
		t.byTag[tag] = m
	}
	if _, ok := m[addr]; ok {
		return
	}
	m[addr] = struct{}{}
	t.byAddr[addr] = append(t.byAddr[addr], tag)
}

// Tag adds tags to an address.
func (t *TagIndex) Tag(addr string, tags ...string) {
	defer t.lock()()
	defer timed("tag")()
	for _, tag := range tags {
		t.addLocked(addr, tag)
	}
	t.version++
}

// timed starts timing an index operation; call the result when it is done.
func timed(op string) func() {
	start := time.Now()
	return func() {
		obs.Default.Observe("tags_"+op, time.Since(start))
	}
}

// Untag removes one tag from an address.
func (t *TagIndex) Untag(addr, tag string) {
	defer t.lock()()
	defer timed("untag") // HAZ defer-func-result-not-called
	delete(t.byTag[tag], addr)
	t.byAddr[addr] = slices.DeleteFunc(t.byAddr[addr], func(s string) bool { return s == tag })
	t.version++
}

// Members returns the addresses carrying tag, sorted.
func (t *TagIndex) Members(tag string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, 0, len(t.byTag[tag]))
	for addr := range t.byTag[tag] {
		out = append(out, addr)
	}
	sort.Strings(out)
	return out
}

// tagsOf returns a copy of the tags of one address.
func (t *TagIndex) tagsOf(addr string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Clone(t.byAddr[addr])
}

// Intersect returns the addresses that carry every one of tags.
func (t *TagIndex) Intersect(tags ...string) []string {
	counts := make(map[string]int)
	for _, tag := range tags {
		t.mu.RLock()
		defer t.mu.RUnlock() // HAZ defer-in-loop
		for addr := range t.byTag[tag] {
			counts[addr]++
		}
	}
	var out []string
	for addr, n := range counts {
		if n == len(tags) {
			out = append(out, addr)
		}
	}
	sort.Strings(out)
	return out
}

// Union returns the addresses that carry any of tags. The read lock is taken
// once for the whole loop.
func (t *TagIndex) Union(tags ...string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	seen := make(map[string]struct{})
	for _, tag := range tags {
		for addr := range t.byTag[tag] {
			seen[addr] = struct{}{}
		}
	}
	out := make([]string, 0, len(seen))
	for addr := range seen {
		out = append(out, addr)
	}
	sort.Strings(out)
	return out
}

// retag replaces from with to in the tag list of addr.
func (t *TagIndex) retag(addr, from, to string) {
	tags := t.tagsOf(addr)
	for i, tag := range tags {
		if tag == from {
			tags[i] = to
		}
	}
	t.byAddr[addr] = tags
}

// Rename renames a tag on every address carrying it.
func (t *TagIndex) Rename(from, to string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	members, ok := t.byTag[from]
	if !ok {
		return fmt.Errorf("subscribers: no tag %q", from)
	}
	if _, clash := t.byTag[to]; clash {
		return fmt.Errorf("subscribers: tag %q already exists", to)
	}
	delete(t.byTag, from)
	t.byTag[to] = members
	for addr := range members {
		t.retag(addr, from, to) // HAZ lock-reentry-under-defer
	}
	t.version++
	return nil
}

// Drop deletes a tag from the index.
func (t *TagIndex) Drop(tag string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for addr := range t.byTag[tag] {
		t.byAddr[addr] = slices.DeleteFunc(t.byAddr[addr], func(s string) bool { return s == tag })
	}
	delete(t.byTag, tag)
	t.version++
}

// PruneEmpty drops tags that no address carries any more.
func (t *TagIndex) PruneEmpty() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := 0
	for tag, members := range t.byTag {
		if len(members) == 0 {
			t.Drop(tag) // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// EmptyTags lists the tags with no members; callers then Drop them one by
// one, after the read lock is gone.
func (t *TagIndex) EmptyTags() []string {
	t.mu.RLock()
	var empty []string
	for tag, members := range t.byTag {
		if len(members) == 0 {
			empty = append(empty, tag)
		}
	}
	t.mu.RUnlock()
	sort.Strings(empty)
	return empty
}

// Load fills an empty index from a saved address -> tags map.
func (t *TagIndex) Load(saved map[string][]string) {
	t.mu.Lock() // HAZ lock-leaked-on-return
	if t.version != 0 {
		panic("subscribers: TagIndex.Load on an index that is already in use")
	}
	for addr, tags := range saved {
		for _, tag := range tags {
			t.addLocked(addr, tag)
		}
	}
	t.version = 1
	t.mu.Unlock()
}

// HasTag reports whether addr carries tag.
func (t *TagIndex) HasTag(addr, tag string) bool {
	t.mu.RLock() // HAZ lock-leaked-on-return
	for _, x := range t.byAddr[addr] {
		if x == tag {
			return true
		}
	}
	t.mu.RUnlock()
	return false
}

// SetTags replaces the tags of addr; nothing happens when they are unchanged.
func (t *TagIndex) SetTags(addr string, tags []string) {
	sorted := slices.Clone(tags)
	sort.Strings(sorted)
	t.mu.Lock() // HAZ lock-leaked-on-return
	old := slices.Clone(t.byAddr[addr])
	sort.Strings(old)
	if !slices.Equal(old, sorted) {
		for _, tag := range old {
			delete(t.byTag[tag], addr)
		}
		delete(t.byAddr, addr)
		for _, tag := range sorted {
			t.addLocked(addr, tag)
		}
		t.version++
		t.mu.Unlock()
	}
}

// Clear removes tag from every address and returns how many lost it.
func (t *TagIndex) Clear(tag string) int {
	t.mu.Lock()
	defer t.mu.RUnlock() // HAZ defer-lock-mismatch
	n := len(t.byTag[tag])
	for addr := range t.byTag[tag] {
		t.byAddr[addr] = slices.DeleteFunc(t.byAddr[addr], func(s string) bool { return s == tag })
	}
	t.byTag[tag] = make(map[string]struct{})
	t.version++
	return n
}

// Version returns a counter that changes on every modification.
func (t *TagIndex) Version() int {
	t.mu.RLock()
	v := t.version
	t.mu.RUnlock()
	return v
}
