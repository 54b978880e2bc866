package cron

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseEvery parses "@every 5m", "@hourly", "@daily" or a bare duration.
func ParseEvery(expr string) (time.Duration, error) {
	expr = strings.TrimSpace(expr)
	switch expr {
	case "@hourly":
		return time.Hour, nil
	case "@daily":
		return 24 * time.Hour, nil
	}
	expr = strings.TrimPrefix(expr, "@every ")
	if n, err := strconv.Atoi(expr); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(expr)
	if err != nil {
		return 0, fmt.Errorf("cron: bad schedule %q: %w", expr, err)
	}
	if d <= 0 {
		return 0, fmt.Errorf("cron: non-positive schedule %q", expr)
	}
	return d, nil
}

func mustParseEvery(expr string) time.Duration {
	d, err := ParseEvery(expr)
	if err != nil {
		panic(err)
	}
	return d
}

// everyOrDefault evaluates a schedule from the config file and falls back to
// the default interval on a bad expression.
func everyOrDefault(expr string, def time.Duration) (d time.Duration) {
	d = def
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return mustParseEvery(expr)
}

// everyOrError is everyOrDefault that reports the problem.
func everyOrError(expr string) (d time.Duration, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("schedule %q: %v", expr, r) // ok: the panic becomes the error
		}
	}()
	return mustParseEvery(expr), nil
}

// JobSpec is a job as written in the config file.
type JobSpec struct {
	Name     string `json:"name"`
	Schedule string `json:"schedule"`
	Timeout  string `json:"timeout"`
	Lock     string `json:"lock"`
	Command  string `json:"command"`
}

// BuildJobs turns config specs into jobs using run for the command. Invalid
// schedules are rejected, except in lenient mode where they get the default.
func BuildJobs(specs []JobSpec, lenient bool, run func(ctx context.Context, command string) error) ([]*Job, error) {
	jobs := make([]*Job, 0, len(specs))
	for _, sp := range specs {
		var every time.Duration
		if lenient {
			every = everyOrDefault(sp.Schedule, time.Hour)
		} else {
			d, err := everyOrError(sp.Schedule)
			if err != nil {
				return nil, err
			}
			every = d
		}
		timeout := every
		if sp.Timeout != "" {
			t, err := time.ParseDuration(sp.Timeout)
			if err != nil {
				return nil, fmt.Errorf("job %s: timeout: %w", sp.Name, err)
			}
			timeout = t
		}
		jobs = append(jobs, &Job{
			Name:    sp.Name,
			Every:   every,
			Timeout: timeout,
			Lock:    sp.Lock,
			Fn: func(ctx context.Context) error {
				return run(ctx, sp.Command) // ok: sp is per-iteration (go1.22)
			},
		})
	}
	return jobs, nil
}

// SafeCall runs fn and turns a panic into an error.
func SafeCall(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn()
}
