// Package schedule parses five-field cron expressions ("m h dom mon dow") and
// computes activation times.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// field is a bit set of the values a cron field accepts.
type field uint64

func (f field) has(v int) bool { return f&(1<<uint(v)) != 0 }

// Schedule is a parsed cron expression.
type Schedule struct {
	spec   string
	minute field
	hour   field
	dom    field
	month  field
	dow    field
	domAny bool
	dowAny bool
}

var aliases = map[string]string{
	"@hourly":   "0 * * * *",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@weekly":   "0 0 * * 0",
	"@monthly":  "0 0 1 * *",
}

var bounds = [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}}

// Parse parses a cron spec such as "30 2 * * 1-5", "*/15 * * * *" or "@daily".
func Parse(spec string) (*Schedule, error) {
	spec = strings.TrimSpace(spec)
	expanded := spec
	if a, ok := aliases[spec]; ok {
		expanded = a
	}
	parts := strings.Fields(expanded)
	if len(parts) != 5 {
		return nil, fmt.Errorf("schedule %q: want 5 fields, got %d", spec, len(parts))
	}
	var fields [5]field
	for i, p := range parts {
		f, err := parseField(p, bounds[i][0], bounds[i][1])
		if err != nil {
			return nil, fmt.Errorf("schedule %q field %d: %w", spec, i+1, err)
		}
		fields[i] = f
	}
	return &Schedule{
		spec:   spec,
		minute: fields[0],
		hour:   fields[1],
		dom:    fields[2],
		month:  fields[3],
		dow:    fields[4],
		domAny: parts[2] == "*",
		dowAny: parts[4] == "*",
	}, nil
}

func parseField(s string, lo, hi int) (field, error) {
	var f field
	for _, part := range strings.Split(s, ",") {
		step := 1
		if i := strings.IndexByte(part, '/'); i >= 0 {
			n, err := strconv.Atoi(part[i+1:])
			if err != nil || n <= 0 {
				return 0, fmt.Errorf("bad step in %q", part)
			}
			step = n
			part = part[:i]
		}
		start, end, err := parseRange(part, lo, hi)
		if err != nil {
			return 0, err
		}
		for v := start; v <= end; v += step {
			f |= 1 << uint(v)
		}
	}
	return f, nil
}

func parseRange(s string, lo, hi int) (int, int, error) {
	if s == "*" {
		return lo, hi, nil
	}
	a, b, isRange := strings.Cut(s, "-")
	start, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, fmt.Errorf("bad value %q", a)
	}
	end := start
	if isRange {
		if end, err = strconv.Atoi(b); err != nil {
			return 0, 0, fmt.Errorf("bad value %q", b)
		}
	}
	if start < lo || end > hi || start > end {
		return 0, 0, fmt.Errorf("range %q outside [%d,%d]", s, lo, hi)
	}
	return start, end, nil
}

// dayMatches applies cron's rule: when both day-of-month and day-of-week are
// restricted, either may match.
func (s *Schedule) dayMatches(t time.Time) bool {
	dom := s.dom.has(t.Day())
	dow := s.dow.has(int(t.Weekday()))
	switch {
	case s.domAny && s.dowAny:
		return true
	case s.domAny:
		return dow
	case s.dowAny:
		return dom
	default:
		return dom || dow
	}
}

// Next returns the first activation strictly after t. It gives up after five
// years (an impossible spec such as "0 0 31 2 *") and returns the zero time.
func (s *Schedule) Next(t time.Time) time.Time {
	t = t.Truncate(time.Minute).Add(time.Minute)
	limit := t.AddDate(5, 0, 0)
	for t.Before(limit) {
		switch {
		case !s.month.has(int(t.Month())):
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, t.Location())
		case !s.dayMatches(t):
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, t.Location())
		case !s.hour.has(t.Hour()):
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, t.Location())
		case !s.minute.has(t.Minute()):
			t = t.Add(time.Minute)
		default:
			return t
		}
	}
	return time.Time{}
}

// String returns the spec the schedule was parsed from.
func (s *Schedule) String() string { return s.spec }
