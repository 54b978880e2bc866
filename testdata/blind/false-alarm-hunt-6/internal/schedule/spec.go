// Package schedule parses a small cron-like schedule syntax and runs jobs on
// it inside the long-running daemons.
package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Spec is a parsed schedule: either a fixed interval ("@every 5m") or a set
// of minutes and hours ("30 2" = 02:30 daily, "*/15 *" = every 15 minutes).
type Spec struct {
	Every   time.Duration
	Minutes []int
	Hours   []int
}

// Parse parses a schedule expression.
func Parse(expr string) (Spec, error) {
	expr = strings.TrimSpace(expr)
	if rest, ok := strings.CutPrefix(expr, "@every "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil {
			return Spec{}, fmt.Errorf("schedule: %w", err)
		}
		if d < time.Second {
			return Spec{}, errors.New("schedule: interval below one second")
		}
		return Spec{Every: d}, nil
	}
	fields := strings.Fields(expr)
	if len(fields) != 2 {
		return Spec{}, fmt.Errorf("schedule: want \"MIN HOUR\", got %q", expr)
	}
	mins, err := parseField(fields[0], 60)
	if err != nil {
		return Spec{}, err
	}
	hours, err := parseField(fields[1], 24)
	if err != nil {
		return Spec{}, err
	}
	return Spec{Minutes: mins, Hours: hours}, nil
}

func parseField(f string, limit int) ([]int, error) {
	if f == "*" {
		return seq(0, limit, 1), nil
	}
	if rest, ok := strings.CutPrefix(f, "*/"); ok {
		step, err := strconv.Atoi(rest)
		if err != nil || step <= 0 {
			return nil, fmt.Errorf("schedule: bad step %q", f)
		}
		return seq(0, limit, step), nil
	}
	var out []int
	for _, part := range strings.Split(f, ",") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || n >= limit {
			return nil, fmt.Errorf("schedule: bad value %q", part)
		}
		out = append(out, n)
	}
	return out, nil
}

func seq(from, to, step int) []int {
	var out []int
	for i := from; i < to; i += step {
		out = append(out, i)
	}
	return out
}

func contains(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// Next returns the first activation strictly after t.
func (s Spec) Next(t time.Time) time.Time {
	if s.Every > 0 {
		return t.Truncate(s.Every).Add(s.Every)
	}
	c := t.Truncate(time.Minute).Add(time.Minute)
	for i := 0; i < 24*60*2; i++ {
		if contains(s.Hours, c.Hour()) && contains(s.Minutes, c.Minute()) {
			return c
		}
		c = c.Add(time.Minute)
	}
	return time.Time{}
}

// String renders the spec back to its expression.
func (s Spec) String() string {
	if s.Every > 0 {
		return "@every " + s.Every.String()
	}
	return fmt.Sprintf("%v %v", s.Minutes, s.Hours)
}
