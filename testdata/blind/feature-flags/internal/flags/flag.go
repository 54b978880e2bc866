// Package flags defines feature flag definitions, their targeting rules and
// the evaluation of a flag for one user.
package flags

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rule operators.
const (
	OpIn      = "in"
	OpNotIn   = "not_in"
	OpPrefix  = "prefix"
	OpPercent = "percent"
)

// ErrInvalidFlag is wrapped by every validation error.
var ErrInvalidFlag = errors.New("flags: invalid flag")

// Flag is one feature flag definition as stored by the server and cached by SDKs.
type Flag struct {
	Key          string    `json:"key"`
	Description  string    `json:"description,omitempty"`
	Enabled      bool      `json:"enabled"`
	Archived     bool      `json:"archived,omitempty"`
	Variations   []string  `json:"variations"`
	OffVariation int       `json:"offVariation"`
	Fallthrough  int       `json:"fallthrough"`
	Rules        []Rule    `json:"rules,omitempty"`
	Version      int       `json:"version"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

// Rule targets users by attribute. The first matching rule wins.
type Rule struct {
	Attribute string   `json:"attribute"`
	Op        string   `json:"op"`
	Values    []string `json:"values"`
	Variation int      `json:"variation"`
}

// User is the evaluation context supplied by the application.
type User struct {
	Key   string            `json:"key"`
	Attrs map[string]string `json:"attrs,omitempty"`
}

// Reason explains an evaluation result.
type Reason string

// Evaluation reasons.
const (
	ReasonOff         Reason = "OFF"
	ReasonRuleMatch   Reason = "RULE_MATCH"
	ReasonFallthrough Reason = "FALLTHROUGH"
	ReasonNotFound    Reason = "FLAG_NOT_FOUND"
	ReasonError       Reason = "ERROR"
)

// Attr returns a user attribute; the pseudo attribute "key" is always present.
func (u User) Attr(name string) (string, bool) {
	if name == "key" {
		return u.Key, true
	}
	v, ok := u.Attrs[name]
	return v, ok
}

// Validate reports whether f is a well-formed definition.
func (f *Flag) Validate() error {
	if f.Key == "" {
		return fmt.Errorf("%w: empty key", ErrInvalidFlag)
	}
	if strings.ContainsAny(f.Key, " /\\?#") {
		return fmt.Errorf("%w: key %q contains reserved characters", ErrInvalidFlag, f.Key)
	}
	if len(f.Variations) == 0 {
		return fmt.Errorf("%w: %s has no variations", ErrInvalidFlag, f.Key)
	}
	if !f.validIndex(f.OffVariation) || !f.validIndex(f.Fallthrough) {
		return fmt.Errorf("%w: %s: off or fallthrough variation out of range", ErrInvalidFlag, f.Key)
	}
	for i, r := range f.Rules {
		if !f.validIndex(r.Variation) {
			return fmt.Errorf("%w: %s: rule %d: variation out of range", ErrInvalidFlag, f.Key, i)
		}
		switch r.Op {
		case OpIn, OpNotIn, OpPrefix:
		case OpPercent:
			if len(r.Values) != 1 {
				return fmt.Errorf("%w: %s: rule %d: percent takes one value", ErrInvalidFlag, f.Key, i)
			}
			if n, err := strconv.Atoi(r.Values[0]); err != nil || n < 0 || n > 100 {
				return fmt.Errorf("%w: %s: rule %d: bad percentage %q", ErrInvalidFlag, f.Key, i, r.Values[0])
			}
		default:
			return fmt.Errorf("%w: %s: rule %d: unknown op %q", ErrInvalidFlag, f.Key, i, r.Op)
		}
	}
	return nil
}

func (f *Flag) validIndex(i int) bool {
	return i >= 0 && i < len(f.Variations)
}

func (f *Flag) variation(i int) (string, error) {
	if !f.validIndex(i) {
		return "", fmt.Errorf("%w: %s: variation %d out of range", ErrInvalidFlag, f.Key, i)
	}
	return f.Variations[i], nil
}

// Evaluate returns the variation served to u and the reason for it.
func (f *Flag) Evaluate(u User) (string, Reason, error) {
	if !f.Enabled {
		v, err := f.variation(f.OffVariation)
		return v, ReasonOff, err
	}
	for _, r := range f.Rules {
		if r.Matches(f.Key, u) {
			v, err := f.variation(r.Variation)
			return v, ReasonRuleMatch, err
		}
	}
	v, err := f.variation(f.Fallthrough)
	return v, ReasonFallthrough, err
}

// Matches reports whether the rule applies to u for the flag flagKey.
func (r Rule) Matches(flagKey string, u User) bool {
	if r.Op == OpPercent {
		if len(r.Values) != 1 {
			return false
		}
		pct, err := strconv.Atoi(r.Values[0])
		if err != nil {
			return false
		}
		return bucket(flagKey, u.Key) < pct
	}
	v, ok := u.Attr(r.Attribute)
	if !ok {
		return r.Op == OpNotIn
	}
	switch r.Op {
	case OpIn:
		return slices.Contains(r.Values, v)
	case OpNotIn:
		return !slices.Contains(r.Values, v)
	case OpPrefix:
		for _, p := range r.Values {
			if strings.HasPrefix(v, p) {
				return true
			}
		}
	}
	return false
}

// bucket maps a user to a stable percentage bucket [0, 100) for one flag.
func bucket(flagKey, userKey string) int {
	h := fnv.New32a()
	h.Write([]byte(flagKey))
	h.Write([]byte{'.'})
	h.Write([]byte(userKey))
	return int(h.Sum32() % 100)
}

// Clone returns a deep copy of f.
func (f *Flag) Clone() *Flag {
	c := *f
	c.Variations = slices.Clone(f.Variations)
	if f.Rules != nil {
		c.Rules = make([]Rule, len(f.Rules))
		for i, r := range f.Rules {
			r.Values = slices.Clone(r.Values)
			c.Rules[i] = r
		}
	}
	return &c
}
