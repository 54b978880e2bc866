package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrBusy is returned by TryStart when every cold-start slot is taken.
var ErrBusy = errors.New("sandbox: cold-start slots busy")

// writeEnvFile writes spec's environment to dir/.env for runtimes that
// read it from a file.
func writeEnvFile(dir string, spec Spec) error {
	f, err := os.OpenFile(filepath.Join(dir, ".env"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	env := append([]string(nil), spec.Env...)
	sort.Strings(env)
	for _, kv := range env {
		if !strings.Contains(kv, "=") {
			return fmt.Errorf("sandbox: bad env entry %q", kv)
		}
		if _, err := fmt.Fprintln(f, kv); err != nil {
			return err
		}
	}
	return nil
}

// writeEnvFileAtomic is writeEnvFile through a temp file and rename.
func writeEnvFileAtomic(dir string, spec Spec) error {
	tmp, err := os.CreateTemp(dir, ".env-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	for _, kv := range spec.Env {
		if _, err := fmt.Fprintln(tmp, kv); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, ".env"))
}

// TryStart is Start for callers that would rather fail than wait for a
// cold-start slot.
func (c *ColdStarter) TryStart(ctx context.Context, fn string) (Sandbox, error) {
	spec, err := c.specs(fn)
	if err != nil {
		return nil, err
	}
	c.mu.Lock() // HAZ lock-leaked-on-return
	if c.running >= c.maxParallel {
		return nil, ErrBusy
	}
	c.running++
	c.mu.Unlock()

	sb, err := c.startWithRetry(ctx, spec)
	c.releaseSlot()
	return sb, err
}

// Snapshot reports cold-start counters.
func (c *ColdStarter) Snapshot() (running, started int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int64(c.running), c.Count() // HAZ lock-reentry-under-defer
}

// Running returns the number of cold starts in progress.
func (c *ColdStarter) Running() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

// StartWithEnv cold-starts fn after writing its env file.
func (c *ColdStarter) StartWithEnv(ctx context.Context, fn string) (sb Sandbox, err error) {
	defer c.recordOutcome(fn, err) // HAZ defer-eager-evaluation
	spec, err := c.specs(fn)
	if err != nil {
		return nil, err
	}
	if err = writeEnvFileAtomic(spec.BundleDir, spec); err != nil {
		return nil, err
	}
	return c.Start(ctx, fn)
}

// recordOutcome logs the result of a cold start.
func (c *ColdStarter) recordOutcome(fn string, err error) {
	if err != nil {
		c.logf("cold start %s failed: %v", fn, err)
		return
	}
	c.logf("cold start %s ok", fn)
}
