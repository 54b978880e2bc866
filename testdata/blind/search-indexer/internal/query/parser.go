// Package query parses queries and evaluates them over the memtable and the
// immutable segments.
package query

import (
	"errors"
	"sort"
	"strings"

	"example.com/searchindexer/internal/textproc"
)

// ErrEmptyQuery is returned when a query has no searchable term.
var ErrEmptyQuery = errors.New("query: no searchable terms")

// Query is a parsed boolean query: +must, -mustnot, and optional terms.
type Query struct {
	Must    []string `json:"must,omitempty"`
	Should  []string `json:"should,omitempty"`
	MustNot []string `json:"must_not,omitempty"`
	Limit   int      `json:"limit"`
	Raw     string   `json:"raw"`
}

// Parse parses raw with the index analyzer.
func Parse(raw string, a *textproc.Analyzer, limit int) (Query, error) {
	q := Query{Raw: raw, Limit: limit}
	for _, part := range splitQuery(raw) {
		switch {
		case strings.HasPrefix(part, "+"):
			q.Must = append(q.Must, a.Terms(part[1:])...)
		case strings.HasPrefix(part, "-"):
			q.MustNot = append(q.MustNot, a.Terms(part[1:])...)
		default:
			q.Should = append(q.Should, a.Terms(part)...)
		}
	}
	if q.Empty() {
		return Query{}, ErrEmptyQuery
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 10
	}
	return q, nil
}

// Empty reports whether q cannot match anything.
func (q Query) Empty() bool { return len(q.Must)+len(q.Should) == 0 }

// Key returns a canonical form of q for caching.
func (q Query) Key() string {
	parts := make([]string, 0, len(q.Must)+len(q.Should)+len(q.MustNot))
	for _, t := range q.Must {
		parts = append(parts, "+"+t)
	}
	for _, t := range q.MustNot {
		parts = append(parts, "-"+t)
	}
	parts = append(parts, q.Should...)
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// splitQuery splits on spaces outside double quotes; a quoted phrase keeps
// its operator prefix.
func splitQuery(s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// tryParse is used on the type-ahead path where malformed input is ignored.
func tryParse(raw string, a *textproc.Analyzer) (q Query, ok bool) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// malformed input: leave ok == false
		}
	}()
	q, err := Parse(raw, a, 10)
	return q, err == nil
}

// NormalizeKey returns the cache key of raw, or "" if it does not parse.
func NormalizeKey(raw string, a *textproc.Analyzer) string {
	if q, ok := tryParse(raw, a); ok {
		return q.Key()
	}
	return ""
}
