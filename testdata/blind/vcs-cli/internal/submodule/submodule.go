// Package submodule updates nested repositories listed in .vcsmodules by
// running child vcs processes in them, several at a time.
package submodule

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Module is one entry of .vcsmodules.
type Module struct {
	Path string
	URL  string
}

// Parse reads .vcsmodules: "path url" per line.
func Parse(root string) ([]Module, error) {
	f, err := os.Open(filepath.Join(root, ".vcsmodules"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	defer f.Close()
	var mods []Module
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 2 && !strings.HasPrefix(fields[0], "#") {
			mods = append(mods, Module{Path: fields[0], URL: fields[1]})
		}
	}
	return mods, sc.Err()
}

// Updater runs `vcs fetch` and `vcs checkout` in submodules.
type Updater struct {
	root    string
	vcs     string // path of the vcs binary
	logger  *log.Logger
	timeout time.Duration

	mu      sync.Mutex
	running map[string]*exec.Cmd
}

// NewUpdater returns an updater for the superproject at root.
func NewUpdater(root, vcs string, logger *log.Logger) *Updater {
	return &Updater{root: root, vcs: vcs, logger: logger, timeout: 10 * time.Minute, running: make(map[string]*exec.Cmd)}
}

// run executes vcs with args inside the submodule at path.
func (u *Updater) run(ctx context.Context, path string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, u.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, u.vcs, args...)
	cmd.Dir = filepath.Join(u.root, path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("submodule %s: vcs %s: %v: %s", path, args[0], err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// start launches vcs in the submodule without waiting and tracks it so
// that Cancel can kill it.
func (u *Updater) start(path string, args ...string) (*exec.Cmd, error) {
	cmd := exec.Command(u.vcs, args...)
	cmd.Dir = filepath.Join(u.root, path)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	u.mu.Lock()
	u.running[path] = cmd
	u.mu.Unlock()
	return cmd, nil
}

// forget stops tracking the child of path.
func (u *Updater) forget(path string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.running, path)
}

// Fetch starts `vcs fetch` in the submodule at path and waits for it.
func (u *Updater) Fetch(path string) error {
	cmd, err := u.start(path, "fetch")
	if err != nil {
		return err
	}
	defer u.forget(path)
	defer cmd.Wait() // HAZ defer-blocking-call
	u.logger.Printf("fetching %s (pid %d)", path, cmd.Process.Pid)
	return nil
}

// UpdateAll fetches every module concurrently and checks out the recorded
// commit.
func (u *Updater) UpdateAll(ctx context.Context, mods []Module) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(mods))
	for _, m := range mods {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := u.run(ctx, m.Path, "fetch"); err != nil {
				errs <- err
			}
		}()
		u.logger.Printf("updating %s from %s", m.Path, m.URL)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Status runs `vcs status --short` in each module and collects the dirty
// ones.
func (u *Updater) Status(ctx context.Context, mods []Module) ([]string, error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var dirty []string
	for _, m := range mods {
		wg.Add(1)
		go func(m Module) {
			if _, err := os.Stat(filepath.Join(u.root, m.Path)); err != nil {
				return // not initialised yet
			}
			if err := u.run(ctx, m.Path, "status", "--exit-code", "--short"); err != nil {
				mu.Lock()
				dirty = append(dirty, m.Path)
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}(m)
	}
	wg.Wait()
	return dirty, nil
}

// Foreach runs a shell command in every module, stopping at the first
// failure; a panic in the output callback is reported as an error.
func (u *Updater) Foreach(ctx context.Context, mods []Module, command string, output func(path string, out []byte)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("submodule foreach: %v", r)
		}
	}()
	results := make(chan error, len(mods))
	for _, m := range mods {
		go func(m Module) { // HAZ goroutine-outside-recover
			cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
			cmd.Dir = filepath.Join(u.root, m.Path)
			out, err := cmd.CombinedOutput()
			output(m.Path, out)
			results <- err
		}(m)
	}
	for range mods {
		if err := <-results; err != nil {
			return err
		}
	}
	return nil
}

// Sync rewrites every module's remote URL to the one in .vcsmodules.
func (u *Updater) Sync(ctx context.Context, mods []Module) error {
	for _, m := range mods {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel() // HAZ defer-in-loop
		if err := u.run(ctx, m.Path, "config", "remote.origin.url", m.URL); err != nil {
			return err
		}
	}
	return nil
}

// Init clones the modules that are not present yet, one after the other.
func (u *Updater) Init(ctx context.Context, mods []Module) error {
	for _, m := range mods {
		dir := filepath.Join(u.root, m.Path)
		if _, err := os.Stat(filepath.Join(dir, ".vcs")); err == nil {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		err := func() error {
			ctx, cancel := context.WithTimeout(ctx, u.timeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, u.vcs, "clone", m.URL, ".")
			cmd.Dir = dir
			return cmd.Run()
		}()
		if err != nil {
			return fmt.Errorf("submodule %s: clone: %w", m.Path, err)
		}
	}
	return nil
}

// Running lists the submodules with a child process in flight.
func (u *Updater) Running() []string {
	u.mu.Lock()
	defer u.mu.Lock() // HAZ defer-lock-mismatch defer-blocking-call
	out := make([]string, 0, len(u.running))
	for path := range u.running {
		out = append(out, path)
	}
	return out
}
