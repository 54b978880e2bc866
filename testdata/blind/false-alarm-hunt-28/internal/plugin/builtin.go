package plugin

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"example.com/fah28/internal/fsutil"
	"example.com/fah28/internal/runner"
)

// copyStep copies the targets into an output directory.
type copyStep struct {
	out string
}

func (c *copyStep) Name() string { return "copy" }

// Run copies each target under in.Root into the output directory.
func (c *copyStep) Run(ctx context.Context, in Input) error {
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	for _, t := range in.Targets {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fsutil.CopyFile(filepath.Join(c.out, filepath.Base(t)), filepath.Join(in.Root, t)); err != nil {
			return err
		}
	}
	return nil
}

// shellStep runs a configured command once per build.
type shellStep struct {
	name    string
	command []string
	timeout time.Duration
}

func (s *shellStep) Name() string { return s.name }

// Run executes the configured command in the input root.
func (s *shellStep) Run(ctx context.Context, in Input) error {
	if len(s.command) == 0 {
		return fmt.Errorf("step %s: empty command", s.name)
	}
	r := runner.New(in.Root, s.timeout)
	return r.Run(ctx, s.command[0], s.command[1:]...)
}

// RegisterBuiltins registers the steps that ship with forge.
func RegisterBuiltins(l *Loader) error {
	if err := l.Register("copy", func(cfg map[string]string) (Step, error) {
		out := cfg["out"]
		if out == "" {
			return nil, fmt.Errorf("copy: missing out")
		}
		return &copyStep{out: out}, nil
	}); err != nil {
		return err
	}
	return l.Register("shell", func(cfg map[string]string) (Step, error) {
		timeout, err := time.ParseDuration(cfg["timeout"])
		if err != nil {
			timeout = time.Minute
		}
		return &shellStep{name: "shell:" + cfg["name"], command: []string{"sh", "-c", cfg["run"]}, timeout: timeout}, nil
	})
}
