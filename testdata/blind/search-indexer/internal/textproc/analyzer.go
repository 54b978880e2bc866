// Package textproc turns raw document text into index terms.
package textproc

import (
	"sort"
	"strings"
	"unicode"
)

// Token is one normalized term and its position in the source text.
type Token struct {
	Term string
	Pos  int
}

// Analyzer splits, normalizes, filters and optionally stems text.
type Analyzer struct {
	stop     map[string]struct{}
	minLen   int
	maxLen   int
	stemming bool
}

// Option configures an Analyzer.
type Option func(*Analyzer)

// WithStopwords replaces the default stopword list.
func WithStopwords(words []string) Option {
	return func(a *Analyzer) {
		a.stop = make(map[string]struct{}, len(words))
		for _, w := range words {
			a.stop[normalize(w)] = struct{}{}
		}
	}
}

// WithStemming turns suffix stripping on or off.
func WithStemming(on bool) Option {
	return func(a *Analyzer) { a.stemming = on }
}

// WithLengthBounds drops terms shorter than min or longer than max runes.
func WithLengthBounds(min, max int) Option {
	return func(a *Analyzer) {
		a.minLen, a.maxLen = min, max
	}
}

// NewAnalyzer returns an analyzer with English defaults.
func NewAnalyzer(opts ...Option) *Analyzer {
	a := &Analyzer{minLen: 2, maxLen: 64, stemming: true}
	WithStopwords(DefaultStopwords())(a)
	for _, o := range opts {
		o(a)
	}
	return a
}

// Analyze returns the index terms of text in order of appearance.
func (a *Analyzer) Analyze(text string) []Token {
	words := splitWords(text)
	out := make([]Token, 0, len(words))
	for i, w := range words {
		term := normalize(w)
		if !a.keep(term) {
			continue
		}
		if a.stemming {
			term = Stem(term)
		}
		out = append(out, Token{Term: term, Pos: i})
	}
	return out
}

// Terms returns the distinct terms of text, sorted.
func (a *Analyzer) Terms(text string) []string {
	seen := make(map[string]struct{})
	for _, t := range a.Analyze(text) {
		seen[t.Term] = struct{}{}
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func (a *Analyzer) keep(term string) bool {
	n := len([]rune(term))
	if n < a.minLen || n > a.maxLen {
		return false
	}
	_, stop := a.stop[term]
	return !stop
}

// normalize lowercases s and drops everything that is not a letter or digit,
// so "Don't" and "dont" index the same.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func splitWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}

// DefaultStopwords returns a small English stopword list.
func DefaultStopwords() []string {
	return []string{
		"a", "an", "and", "are", "as", "at", "be", "by", "for", "from",
		"in", "is", "it", "of", "on", "or", "that", "the", "to", "was", "with",
	}
}
