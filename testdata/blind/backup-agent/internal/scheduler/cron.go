package scheduler

import (
	"fmt"
	"strings"
	"time"
)

// Schedule computes the next run time after a given instant.
type Schedule interface {
	Next(after time.Time) time.Time
}

type every struct{ d time.Duration }

func (e every) Next(t time.Time) time.Time { return t.Truncate(e.d).Add(e.d) }

type daily struct{ hour, minute int }

func (d daily) Next(t time.Time) time.Time {
	next := time.Date(t.Year(), t.Month(), t.Day(), d.hour, d.minute, 0, 0, t.Location())
	if !next.After(t) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

type weekly struct {
	day          time.Weekday
	hour, minute int
}

func (w weekly) Next(t time.Time) time.Time {
	next := time.Date(t.Year(), t.Month(), t.Day(), w.hour, w.minute, 0, 0, t.Location())
	next = next.AddDate(0, 0, (int(w.day)-int(t.Weekday())+7)%7)
	if !next.After(t) {
		next = next.AddDate(0, 0, 7)
	}
	return next
}

// Parse understands "@hourly", "@daily", "@every <duration>",
// "daily HH:MM" and "weekly <weekday> HH:MM".
func Parse(spec string) (Schedule, error) {
	f := strings.Fields(spec)
	switch {
	case len(f) == 1 && f[0] == "@hourly":
		return every{time.Hour}, nil
	case len(f) == 1 && f[0] == "@daily":
		return daily{0, 0}, nil
	case len(f) == 2 && f[0] == "@every":
		d, err := time.ParseDuration(f[1])
		if err != nil {
			return nil, fmt.Errorf("scheduler: %q: %w", spec, err)
		}
		if d < time.Minute {
			return nil, fmt.Errorf("scheduler: %q: interval below one minute", spec)
		}
		return every{d}, nil
	case len(f) == 2 && f[0] == "daily":
		h, m, err := parseClock(f[1])
		if err != nil {
			return nil, fmt.Errorf("scheduler: %q: %w", spec, err)
		}
		return daily{h, m}, nil
	case len(f) == 3 && f[0] == "weekly":
		day, err := parseWeekday(f[1])
		if err != nil {
			return nil, fmt.Errorf("scheduler: %q: %w", spec, err)
		}
		h, m, err := parseClock(f[2])
		if err != nil {
			return nil, fmt.Errorf("scheduler: %q: %w", spec, err)
		}
		return weekly{day, h, m}, nil
	}
	return nil, fmt.Errorf("scheduler: cannot parse schedule %q", spec)
}

func parseClock(s string) (int, int, error) {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil {
		return 0, 0, fmt.Errorf("bad time of day %q", s)
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, fmt.Errorf("time of day %q out of range", s)
	}
	return h, m, nil
}

func parseWeekday(s string) (time.Weekday, error) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := d.String()
		if strings.EqualFold(s, name) || strings.EqualFold(s, name[:3]) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("bad weekday %q", s)
}
