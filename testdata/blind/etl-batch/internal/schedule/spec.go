// Package schedule runs ETL jobs on a cron-like schedule.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Spec says when a job runs: every fixed interval, or at a minute/hour
// pattern ("30 *" is half past every hour, "0 2" is 02:00 every day).
type Spec struct {
	every  time.Duration
	minute int // -1 means any
	hour   int // -1 means any
}

// Parse accepts "@every 5m", "@hourly", "@daily" and "MINUTE HOUR".
func Parse(expr string) (Spec, error) {
	switch expr {
	case "@hourly":
		return Spec{minute: 0, hour: -1}, nil
	case "@daily":
		return Spec{minute: 0, hour: 0}, nil
	}
	if d, ok := strings.CutPrefix(expr, "@every "); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		if err != nil || every < time.Second {
			return Spec{}, fmt.Errorf("schedule: bad interval in %q", expr)
		}
		return Spec{every: every, minute: -1, hour: -1}, nil
	}
	f := strings.Fields(expr)
	if len(f) != 2 {
		return Spec{}, fmt.Errorf("schedule: want \"MINUTE HOUR\", got %q", expr)
	}
	m, err := field(f[0], 59)
	if err != nil {
		return Spec{}, err
	}
	h, err := field(f[1], 23)
	if err != nil {
		return Spec{}, err
	}
	return Spec{minute: m, hour: h}, nil
}

func field(s string, hi int) (int, error) {
	if s == "*" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > hi {
		return 0, fmt.Errorf("schedule: field %q is not * or 0-%d", s, hi)
	}
	return n, nil
}

// Next returns the first run time strictly after t.
func (s Spec) Next(t time.Time) time.Time {
	if s.every > 0 {
		return t.Truncate(s.every).Add(s.every)
	}
	n := t.Truncate(time.Minute).Add(time.Minute)
	for i := 0; i < 48*60; i++ {
		if (s.minute < 0 || n.Minute() == s.minute) && (s.hour < 0 || n.Hour() == s.hour) {
			return n
		}
		n = n.Add(time.Minute)
	}
	return n
}
