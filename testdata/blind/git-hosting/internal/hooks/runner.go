// Package hooks runs the server-wide hook scripts (pre-receive policies,
// post-receive notifications) with timeouts, and posts webhooks.
package hooks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrTimeout is returned when a hook runs past its deadline.
var ErrTimeout = errors.New("hook timed out")

// Runner executes hook scripts from one directory.
type Runner struct {
	dir     string
	logDir  string
	timeout time.Duration
	env     []string
	logger  *log.Logger
	client  *http.Client
	secret  string

	runs     atomic.Int64
	failures atomic.Int64

	// Filter, when set, rewrites every line of hook output before it is
	// shown to the pushing client (for example to redact tokens).
	Filter func(line string) string
}

// NewRunner returns a Runner for the scripts in dir.
func NewRunner(dir, logDir string, timeout time.Duration, logger *log.Logger) *Runner {
	return &Runner{
		dir:     dir,
		logDir:  logDir,
		timeout: timeout,
		env:     []string{"GITHOST_HOOK=1"},
		logger:  logger,
		client:  &http.Client{Timeout: 10 * time.Second},
		secret:  os.Getenv("GITHOST_WEBHOOK_TOKEN"),
	}
}

func (r *Runner) path(name string) string { return filepath.Join(r.dir, filepath.FromSlash(name)) }

// Exists reports whether an executable hook called name is installed.
func (r *Runner) Exists(name string) bool {
	fi, err := os.Stat(r.path(name))
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// List returns the names of the installed hooks.
func (r *Runner) List() ([]string, error) {
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && r.Exists(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// listEvent returns the hooks registered for event: the scripts in "<event>.d/".
func (r *Runner) listEvent(event string) ([]string, error) {
	entries, err := os.ReadDir(r.path(event + ".d"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if name := event + ".d/" + e.Name(); !e.IsDir() && r.Exists(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// Run executes the hook name in repoDir with stdin, killing it (and its
// children) at the deadline. It returns the hook's combined output.
func (r *Runner) Run(ctx context.Context, name, repoDir string, stdin io.Reader) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	defer r.logger.Printf("hook %s finished for %s", name, filepath.Base(repoDir))
	cmd := exec.CommandContext(ctx, r.path(name))
	cmd.Dir = repoDir
	cmd.Env = append(os.Environ(), r.env...)
	cmd.Stdin = stdin
	cmd.WaitDelay = time.Second
	setProcessGroup(cmd)
	cmd.Cancel = func() error { return killProcess(cmd) }
	out, err := cmd.CombinedOutput()
	r.runs.Add(1)
	if err != nil {
		r.failures.Add(1)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return out, fmt.Errorf("hook %s: %w after %v", name, ErrTimeout, r.timeout)
	}
	if err != nil {
		return r.filter(out), fmt.Errorf("hook %s: %w", name, err)
	}
	return r.filter(out), nil
}

// filter applies r.Filter to every line of out.
func (r *Runner) filter(out []byte) (res []byte) {
	if r.Filter == nil {
		return out
	}
	res = out
	defer func() {
		if v := recover(); v != nil { // HAZ recover-swallows-panic
			// keep the unfiltered output
		}
	}()
	var buf bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		buf.WriteString(r.Filter(sc.Text()))
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// RunUnkillable runs a hook that must not be killed half-way (it may hold
// git's ref locks). After the timeout the caller gets ErrTimeout and the hook
// is left to finish on its own.
func (r *Runner) RunUnkillable(name, repoDir string, stdin io.Reader) error {
	cmd := exec.Command(r.path(name))
	cmd.Dir = repoDir
	cmd.Env = append(os.Environ(), r.env...)
	cmd.Stdin = stdin
	return r.runDetached(cmd)
}

func (r *Runner) runDetached(cmd *exec.Cmd) error {
	done := make(chan error)
	go func() {
		done <- cmd.Run() // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(r.timeout):
		return ErrTimeout
	}
}

// RunStreaming runs a hook with its output streamed to out (the sideband of
// the pushing client) until it exits or ctx is done.
func (r *Runner) RunStreaming(ctx context.Context, name, repoDir string, stdin io.Reader, out io.Writer) error {
	cmd := exec.Command(r.path(name))
	cmd.Dir = repoDir
	cmd.Env = append(os.Environ(), r.env...)
	cmd.Stdin = stdin
	cmd.Stdout = out
	cmd.Stderr = out
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	return r.waitOrCancel(ctx, cmd)
}

// waitOrCancel waits for a started command, killing it when ctx is done first.
func (r *Runner) waitOrCancel(ctx context.Context, cmd *exec.Cmd) error {
	done := make(chan error)
	go func() {
		err := cmd.Wait()
		select {
		case done <- err:
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		if err := killProcess(cmd); err != nil {
			r.logger.Printf("killing hook %s: %v", cmd.Path, err)
		}
		return ctx.Err()
	}
}

// RunAll runs every hook registered for event concurrently and returns one
// error slot per hook.
func (r *Runner) RunAll(ctx context.Context, event, repoDir string, payload []byte) []error {
	names, err := r.listEvent(event)
	if err != nil {
		return []error{err}
	}
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			if !r.Exists(name) {
				errs[i] = fmt.Errorf("hook %s vanished", name)
				return
			}
			_, errs[i] = r.Run(ctx, name, repoDir, bytes.NewReader(payload))
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// RunEach runs the hooks of event one after the other, stopping at the first
// failure (pre-receive semantics: any hook may reject the push).
func (r *Runner) RunEach(ctx context.Context, event, repoDir string, payload []byte, out io.Writer) error {
	names, err := r.listEvent(event)
	if err != nil {
		return err
	}
	for _, name := range names {
		output, err := r.Run(ctx, name, repoDir, bytes.NewReader(payload))
		if _, werr := out.Write(output); werr != nil {
			return werr
		}
		if err != nil {
			return fmt.Errorf("rejected by %s: %w", strings.TrimPrefix(name, event+".d/"), err)
		}
	}
	return nil
}

// appendLog appends a hook's output to its log file.
func (r *Runner) appendLog(name string, out []byte) (err error) {
	f, err := os.OpenFile(filepath.Join(r.logDir, name+".log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = fmt.Fprintf(f, "--- %s\n%s", time.Now().UTC().Format(time.RFC3339), out)
	return err
}
