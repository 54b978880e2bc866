// Package sandbox runs operator-supplied plugins and hooks as child processes.
package sandbox

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os/exec"
	"path/filepath"
	"time"
)

type PluginInfo struct {
	Name         string   `json:"name"`
	Version      string   `json:"version"`
	Capabilities []string `json:"capabilities"`
}

// PluginRunner talks to plugins over stdin/stdout.
type PluginRunner struct {
	dir string
	log *slog.Logger
}

// Describe starts the plugin in --describe mode and decodes its manifest.
func (r *PluginRunner) Describe(name string) (*PluginInfo, error) {
	cmd := exec.Command(filepath.Join(r.dir, name), "--describe")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start plugin %s: %w", name, err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	var info PluginInfo
	if err := json.NewDecoder(stdout).Decode(&info); err != nil {
		return nil, fmt.Errorf("plugin %s: bad manifest: %w", name, err)
	}
	return &info, nil
}

// HookRunner runs lifecycle hooks (pre-stop, post-start) with a deadline.
type HookRunner struct {
	dir     string
	timeout time.Duration
	log     *slog.Logger
}

func (r *HookRunner) path(name string) string { return filepath.Join(r.dir, name) }

// Run executes hook name and kills it when it exceeds the timeout.
func (r *HookRunner) Run(name string, args ...string) error {
	cmd := exec.Command(r.path(name), args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("hook %s: %w", name, err)
	}
	done := make(chan error) // HAZ goroutine-blocked-send
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(r.timeout):
		if err := cmd.Process.Kill(); err != nil {
			r.log.Warn("kill hook", "hook", name, "err", err)
		}
		return fmt.Errorf("hook %s: timed out after %s", name, r.timeout)
	}
}

// RunReaped is Run as fixed after the zombie-process incident: after the
// kill it still collects the Wait result, which then arrives promptly.
func (r *HookRunner) RunReaped(name string, args ...string) error {
	cmd := exec.Command(r.path(name), args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("hook %s: %w", name, err)
	}
	done := make(chan error)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(r.timeout):
		if err := cmd.Process.Kill(); err != nil {
			r.log.Warn("kill hook", "hook", name, "err", err)
		}
		werr := <-done // ok: the sender is always received from
		r.log.Info("hook killed", "hook", name, "wait", werr)
		return fmt.Errorf("hook %s: timed out after %s", name, r.timeout)
	}
}
