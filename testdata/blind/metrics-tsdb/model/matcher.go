package model

import (
	"fmt"
	"regexp"
	"strings"
)

// MatchType is the kind of a label matcher.
type MatchType int

// Matcher kinds.
const (
	MatchEqual MatchType = iota
	MatchNotEqual
	MatchRegexp
)

// Matcher selects series by one label.
type Matcher struct {
	Type  MatchType
	Name  string
	Value string
	re    *regexp.Regexp
}

// NewMatcher builds a matcher, compiling the pattern of regexp matchers.
func NewMatcher(t MatchType, name, value string) (Matcher, error) {
	m := Matcher{Type: t, Name: name, Value: value}
	if t == MatchRegexp {
		re, err := regexp.Compile("^(?:" + value + ")$")
		if err != nil {
			return Matcher{}, fmt.Errorf("matcher %s=~%q: %w", name, value, err)
		}
		m.re = re
	}
	return m, nil
}

// Matches reports whether a label value satisfies the matcher.
func (m Matcher) Matches(v string) bool {
	switch m.Type {
	case MatchEqual:
		return v == m.Value
	case MatchNotEqual:
		return v != m.Value
	case MatchRegexp:
		return m.re.MatchString(v)
	}
	return false
}

// MatchAll reports whether ls satisfies every matcher.
func MatchAll(ls Labels, ms []Matcher) bool {
	for _, m := range ms {
		if !m.Matches(ls.Get(m.Name)) {
			return false
		}
	}
	return true
}

// ParseSelector parses a selector such as `cpu_usage{host="a",dc=~"eu-.*"}`.
func ParseSelector(s string) ([]Matcher, error) {
	s = strings.TrimSpace(s)
	var ms []Matcher
	name, rest, hasBraces := strings.Cut(s, "{")
	if name = strings.TrimSpace(name); name != "" {
		ms = append(ms, Matcher{Type: MatchEqual, Name: MetricName, Value: name})
	}
	if !hasBraces {
		return ms, nil
	}
	body, ok := strings.CutSuffix(strings.TrimSpace(rest), "}")
	if !ok {
		return nil, fmt.Errorf("selector %q: missing closing brace", s)
	}
	for _, part := range strings.Split(body, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		m, err := parseMatcher(part)
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", s, err)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

func parseMatcher(part string) (Matcher, error) {
	for _, op := range []struct {
		tok string
		typ MatchType
	}{{"=~", MatchRegexp}, {"!=", MatchNotEqual}, {"=", MatchEqual}} {
		name, value, ok := strings.Cut(part, op.tok)
		if !ok {
			continue
		}
		value = strings.Trim(strings.TrimSpace(value), `"`)
		return NewMatcher(op.typ, strings.TrimSpace(name), value)
	}
	return Matcher{}, fmt.Errorf("bad matcher %q", part)
}
