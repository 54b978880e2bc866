// Package runner is the build-runner daemon: it leases jobs from the queue,
// runs them in workspaces and reports the results.
package runner

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"example.com/cirunner/internal/job"
)

// Hook is an in-process plugin called before each job's steps.
type Hook struct {
	Name string
	Fn   func(*job.Job)
}

// Config configures a Runner.
type Config struct {
	Workers     int           `json:"workers"`
	WorkRoot    string        `json:"work_root"`
	CacheDir    string        `json:"cache_dir"`
	CacheMax    int64         `json:"cache_max_bytes"`
	LogDir      string        `json:"log_dir"`
	LogURL      string        `json:"log_url"`
	ArtifactURL string        `json:"artifact_url"`
	Token       string        `json:"-"`
	StateDir    string        `json:"state_dir"`
	Webhooks    []string      `json:"webhooks"`
	LeaseEvery  time.Duration `json:"lease_every"`
	PollBackoff time.Duration `json:"poll_backoff"`
	JobTimeout  time.Duration `json:"job_timeout"`
	Hooks       []Hook        `json:"-"`
}

func (c *Config) setDefaults() {
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.WorkRoot == "" {
		c.WorkRoot = filepath.Join(os.TempDir(), "ci-runner")
	}
	if c.LogDir == "" {
		c.LogDir = filepath.Join(c.WorkRoot, "logs")
	}
	if c.StateDir == "" {
		c.StateDir = c.WorkRoot
	}
	if c.LeaseEvery <= 0 {
		c.LeaseEvery = 30 * time.Second
	}
	if c.PollBackoff <= 0 {
		c.PollBackoff = 5 * time.Second
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = 2 * time.Hour
	}
}

// Queue is the part of the job queue the runner needs.
type Queue interface {
	Next(ctx context.Context) (*job.Job, error)
	Ack(ctx context.Context, id string, st job.Status) error
	Heartbeat(ctx context.Context, id string) error
}
