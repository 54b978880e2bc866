// Package task defines the units of work the runner schedules and the
// dependency graph between them.
package task

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Task is one node of the build graph.
type Task interface {
	ID() string
	Deps() []string
	Run(ctx context.Context, env *Env) (Result, error)
}

// Env is what a running task may use.
type Env struct {
	WorkDir string
	LogDir  string
	Logf    func(format string, args ...any)
}

// Result describes a finished task.
type Result struct {
	ID       string
	Outputs  []string
	Duration time.Duration
}

// Shell is a task that runs a command line through /bin/sh.
type Shell struct {
	Name    string   `json:"name"`
	Command string   `json:"command"`
	Needs   []string `json:"needs"`
	Outputs []string `json:"outputs"`
}

// ID implements Task.
func (s *Shell) ID() string { return s.Name }

// Deps implements Task.
func (s *Shell) Deps() []string { return s.Needs }

// Run executes the command with its output captured in a per-task log file
// and checks that the declared outputs exist.
func (s *Shell) Run(ctx context.Context, env *Env) (res Result, err error) {
	start := time.Now()
	logPath := filepath.Join(env.LogDir, s.Name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return res, fmt.Errorf("task %s: %w", s.Name, err)
	}
	defer func() { err = errors.Join(err, logFile.Close()) }()

	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", s.Command)
	cmd.Dir = env.WorkDir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	if err := cmd.Run(); err != nil {
		return res, fmt.Errorf("task %s: %w (see %s)", s.Name, err, logPath)
	}
	for _, out := range s.Outputs {
		if _, err := os.Stat(filepath.Join(env.WorkDir, out)); err != nil {
			return res, fmt.Errorf("task %s: declared output missing: %w", s.Name, err)
		}
	}
	return Result{ID: s.Name, Outputs: s.Outputs, Duration: time.Since(start)}, nil
}
