// Package job defines the work items the runner pulls from the queue.
package job

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Status is the lifecycle state of a job.
type Status string

// Job states as reported to the coordinator.
const (
	Queued    Status = "queued"
	Running   Status = "running"
	Succeeded Status = "succeeded"
	Failed    Status = "failed"
	Canceled  Status = "canceled"
)

// Terminal reports whether no further transitions are possible.
func (s Status) Terminal() bool {
	switch s {
	case Succeeded, Failed, Canceled:
		return true
	}
	return false
}

// Duration is a time.Duration that is written as a Go duration string
// ("90s", "1h30m") in job definitions.
type Duration time.Duration

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"90s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// Step is one command of a job.
type Step struct {
	Name            string            `json:"name"`
	Command         []string          `json:"command"`
	Env             map[string]string `json:"env,omitempty"`
	Timeout         Duration          `json:"timeout,omitempty"`
	ContinueOnError bool              `json:"continue_on_error,omitempty"`
}

// EffectiveTimeout returns the step's timeout, or def when the step has none.
func (s Step) EffectiveTimeout(def time.Duration) time.Duration {
	if s.Timeout > 0 {
		return time.Duration(s.Timeout)
	}
	return def
}

// Service is a sidecar process (database, emulator) that lives as long as the job.
type Service struct {
	Name    string   `json:"name"`
	Command []string `json:"command"`
}

// Job is a unit of work: check out Repo at Ref and run Steps.
type Job struct {
	ID         string    `json:"id"`
	Repo       string    `json:"repo"`
	Ref        string    `json:"ref"`
	Steps      []Step    `json:"steps"`
	Services   []Service `json:"services,omitempty"`
	CacheKeys  []string  `json:"cache_keys,omitempty"`
	CachePaths []string  `json:"cache_paths,omitempty"`
	Artifacts  []string  `json:"artifacts,omitempty"`
	Timeout    Duration  `json:"timeout,omitempty"`
}

// Validate checks the job definition and reports every problem at once.
func (j *Job) Validate() error {
	var errs []error
	if j.ID == "" {
		errs = append(errs, errors.New("missing id"))
	}
	if j.Repo == "" {
		errs = append(errs, errors.New("missing repo"))
	}
	if len(j.Steps) == 0 {
		errs = append(errs, errors.New("no steps"))
	}
	for i, s := range j.Steps {
		if len(s.Command) == 0 {
			errs = append(errs, fmt.Errorf("step %d (%s): empty command", i, s.Name))
		}
	}
	seen := make(map[string]bool, len(j.Services))
	for _, svc := range j.Services {
		if seen[svc.Name] {
			errs = append(errs, fmt.Errorf("service %q defined twice", svc.Name))
		}
		seen[svc.Name] = true
	}
	if len(j.CachePaths) > 0 && len(j.CacheKeys) == 0 {
		errs = append(errs, errors.New("cache_paths given without cache_keys"))
	}
	return errors.Join(errs...)
}

// Decode reads one job definition from r and validates it.
func Decode(r io.Reader) (*Job, error) {
	var j Job
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("decode job: %w", err)
	}
	if err := j.Validate(); err != nil {
		return nil, fmt.Errorf("job %s: %w", j.ID, err)
	}
	return &j, nil
}

// Slug returns a version of the job id that is safe in file names.
func (j *Job) Slug() string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, j.ID)
}
