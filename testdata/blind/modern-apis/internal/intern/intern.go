// Package intern canonicalises strings and labels with unique handles and
// keeps weakly referenced decoded objects.
package intern

import (
	"iter"
	"maps"
	"slices"
	"strings"
	"sync"
	"unique"
)

// Symbol is an interned string: comparing two Symbols is a pointer compare.
type Symbol = unique.Handle[string]

// Sym interns s.
func Sym(s string) Symbol { return unique.Make(s) }

// Labels is an interned, sorted set of key=value pairs.
type Labels struct {
	h unique.Handle[string]
}

// MakeLabels canonicalises a label map.
func MakeLabels(m map[string]string) Labels {
	var b strings.Builder
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
	}
	return Labels{h: unique.Make(b.String())}
}

// String returns the canonical form.
func (l Labels) String() string { return l.h.Value() }

// Pairs yields the key/value pairs in key order.
func (l Labels) Pairs() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		s := l.h.Value()
		if s == "" {
			return
		}
		for kv := range strings.SplitSeq(s, ",") {
			k, v, _ := strings.Cut(kv, "=")
			if !yield(k, v) {
				return
			}
		}
	}
}

// Table counts occurrences of interned symbols.
type Table struct {
	mu     sync.Mutex
	counts map[Symbol]int
	order  []Symbol
}

// NewTable returns an empty table.
func NewTable() *Table {
	return &Table{counts: make(map[Symbol]int)}
}

// Observe records one occurrence of s.
func (t *Table) Observe(s string) Symbol {
	h := unique.Make(s)
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.counts[h]; !ok {
		t.order = append(t.order, h)
	}
	t.counts[h]++
	return h
}

// ObserveAll records every string of seq under one lock acquisition.
func (t *Table) ObserveAll(seq iter.Seq[string]) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for s := range seq {
		h := unique.Make(s)
		if _, ok := t.counts[h]; !ok {
			t.order = append(t.order, h)
		}
		t.counts[h]++
		n++
	}
	return n
}

// Count returns the occurrences of s.
func (t *Table) Count(s string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[unique.Make(s)]
}

// Top returns the n most frequent symbols, ties in first-seen order.
func (t *Table) Top(n int) []string {
	t.mu.Lock()
	order := slices.Clone(t.order)
	counts := maps.Clone(t.counts)
	t.mu.Unlock()
	slices.SortStableFunc(order, func(a, b Symbol) int { return counts[b] - counts[a] })
	out := make([]string, 0, min(n, len(order)))
	for _, h := range order[:min(n, len(order))] {
		out = append(out, h.Value())
	}
	return out
}

// Reset clears the table and returns the previous counts by string.
func (t *Table) Reset() map[string]int {
	t.mu.Lock()
	old := t.counts
	t.counts = make(map[Symbol]int)
	t.order = nil
	t.mu.Unlock()
	out := make(map[string]int, len(old))
	for h, c := range old {
		out[h.Value()] = c
	}
	return out
}
