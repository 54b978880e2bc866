// Package cron parses five-field cron expressions and computes fire times.
package cron

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

// Schedule is a parsed cron expression. Each field is a bit set.
type Schedule struct {
	minute, hour, dom, month, dow uint64
	domStar, dowStar              bool
	loc                           *time.Location
}

type bounds struct {
	name     string
	min, max int
	names    map[string]int
}

var (
	minutes = bounds{name: "minute", min: 0, max: 59}
	hours   = bounds{name: "hour", min: 0, max: 23}
	doms    = bounds{name: "day of month", min: 1, max: 31}
	months  = bounds{name: "month", min: 1, max: 12, names: map[string]int{
		"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
		"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
	}}
	dows = bounds{name: "day of week", min: 0, max: 6, names: map[string]int{
		"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6,
	}}
)

var descriptors = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

// Parse parses a standard five-field expression or an @descriptor.
// The schedule is evaluated in UTC; use In to change the location.
func Parse(expr string) (*Schedule, error) {
	expr = strings.TrimSpace(expr)
	if d, ok := descriptors[strings.ToLower(expr)]; ok {
		expr = d
	}
	fields := strings.Fields(expr)
	if len(fields) != 5 {
		return nil, fmt.Errorf("cron: expected 5 fields, got %d in %q", len(fields), expr)
	}
	s := &Schedule{loc: time.UTC}
	targets := []*uint64{&s.minute, &s.hour, &s.dom, &s.month, &s.dow}
	specs := []bounds{minutes, hours, doms, months, dows}
	var errs []error
	for i, f := range fields {
		bits, err := parseField(f, specs[i])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", specs[i].name, err))
			continue
		}
		*targets[i] = bits
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("cron: parse %q: %w", expr, err)
	}
	s.domStar = fields[2] == "*" || fields[2] == "?"
	s.dowStar = fields[4] == "*" || fields[4] == "?"
	return s, nil
}

// MustParse is Parse for expressions known at compile time.
func MustParse(expr string) *Schedule {
	s, err := Parse(expr)
	if err != nil {
		panic(err)
	}
	return s
}

// In returns a copy of s evaluated in loc.
func (s *Schedule) In(loc *time.Location) *Schedule {
	c := *s
	c.loc = loc
	return &c
}

func parseField(field string, b bounds) (uint64, error) {
	var bits uint64
	for part := range strings.SplitSeq(field, ",") {
		if part == "" {
			return 0, fmt.Errorf("empty list element in %q", field)
		}
		r, err := parseRange(part, b)
		if err != nil {
			return 0, err
		}
		bits |= r
	}
	return bits, nil
}

func parseRange(expr string, b bounds) (uint64, error) {
	rangePart, stepPart, hasStep := strings.Cut(expr, "/")
	lo, hi := b.min, b.max
	if rangePart != "*" && rangePart != "?" {
		loS, hiS, isRange := strings.Cut(rangePart, "-")
		var err error
		if lo, err = parseValue(loS, b); err != nil {
			return 0, err
		}
		switch {
		case isRange:
			if hi, err = parseValue(hiS, b); err != nil {
				return 0, err
			}
		case hasStep:
			hi = b.max
		default:
			hi = lo
		}
	}
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepPart)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("bad step %q", stepPart)
		}
		step = n
	}
	if lo > hi {
		return 0, fmt.Errorf("range %d-%d is inverted", lo, hi)
	}
	var bits uint64
	for v := lo; v <= hi; v += step {
		bits |= 1 << uint(v)
	}
	return bits, nil
}

func parseValue(s string, b bounds) (int, error) {
	if v, ok := b.names[strings.ToLower(s)]; ok {
		return v, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("bad value %q", s)
	}
	if v < b.min || v > b.max {
		return 0, fmt.Errorf("value %d out of range [%d, %d]", v, b.min, b.max)
	}
	return v, nil
}

// Next returns the first fire time strictly after t, or the zero time when
// the expression never fires within five years (e.g. "0 0 30 2 *").
func (s *Schedule) Next(after time.Time) time.Time {
	t := after.In(s.loc).Truncate(time.Minute).Add(time.Minute)
	limit := t.AddDate(5, 0, 0)
	for t.Before(limit) {
		switch {
		case s.month&(1<<uint(t.Month())) == 0:
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, s.loc)
		case !s.dayMatches(t):
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, s.loc)
		case s.hour&(1<<uint(t.Hour())) == 0:
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, s.loc)
		case s.minute&(1<<uint(t.Minute())) == 0:
			t = t.Add(time.Minute)
		default:
			return t
		}
	}
	return time.Time{}
}

// dayMatches applies the classic cron rule: when both day fields are
// restricted, either may match.
func (s *Schedule) dayMatches(t time.Time) bool {
	domOK := s.dom&(1<<uint(t.Day())) != 0
	dowOK := s.dow&(1<<uint(t.Weekday())) != 0
	if s.domStar || s.dowStar {
		return domOK && dowOK
	}
	return domOK || dowOK
}

// Times yields the fire times after from, in order, until the consumer stops.
func (s *Schedule) Times(from time.Time) iter.Seq[time.Time] {
	return func(yield func(time.Time) bool) {
		for t := s.Next(from); !t.IsZero(); t = s.Next(t) {
			if !yield(t) {
				return
			}
		}
	}
}

// Between counts the fire times in (from, to].
func (s *Schedule) Between(from, to time.Time) int {
	n := 0
	for t := range s.Times(from) {
		if t.After(to) {
			break
		}
		n++
	}
	return n
}
