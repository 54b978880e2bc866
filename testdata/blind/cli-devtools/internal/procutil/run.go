// Package procutil wraps os/exec for the devtools: running tools, capturing
// their output, streaming lines and enforcing timeouts.
package procutil

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// ErrTimeout is returned when a command exceeds its deadline.
var ErrTimeout = errors.New("procutil: command timed out")

// Cmd describes a command to run.
type Cmd struct {
	Name string
	Args []string
	Dir  string
	Env  []string
}

// New returns a Cmd for name with args.
func New(name string, args ...string) *Cmd {
	return &Cmd{Name: name, Args: args}
}

// InDir sets the working directory and returns c.
func (c *Cmd) InDir(dir string) *Cmd {
	c.Dir = dir
	return c
}

// WithEnv appends KEY=VALUE entries to the command environment.
func (c *Cmd) WithEnv(kv ...string) *Cmd {
	c.Env = append(c.Env, kv...)
	return c
}

func (c *Cmd) build(ctx context.Context) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Name, c.Args...)
	cmd.Dir = c.Dir
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	return cmd
}

// String renders the command line for logs.
func (c *Cmd) String() string {
	parts := make([]string, 0, len(c.Args)+1)
	parts = append(parts, c.Name)
	for _, a := range c.Args {
		if strings.ContainsAny(a, " \t\"'") {
			a = fmt.Sprintf("%q", a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// ExitError carries the stderr of a failed command.
type ExitError struct {
	Cmd    string
	Err    error
	Stderr string
}

func (e *ExitError) Error() string {
	if e.Stderr == "" {
		return fmt.Sprintf("%s: %v", e.Cmd, e.Err)
	}
	return fmt.Sprintf("%s: %v: %s", e.Cmd, e.Err, e.Stderr)
}

// Unwrap returns the underlying exec error.
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode extracts the process exit code from err, or -1.
func ExitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err == nil {
		return 0
	}
	return -1
}

// Output runs the command and returns trimmed stdout.
func (c *Cmd) Output(ctx context.Context) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := c.build(ctx)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", &ExitError{Cmd: c.String(), Err: err, Stderr: strings.TrimSpace(stderr.String())}
	}
	return strings.TrimSpace(stdout.String()), nil
}

// Run runs the command with its output attached to the terminal.
func (c *Cmd) Run(ctx context.Context) error {
	cmd := c.build(ctx)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Stdin = os.Stdin
	return cmd.Run()
}

// RunTimeout runs the command and kills it after timeout.
func (c *Cmd) RunTimeout(timeout time.Duration) error {
	cmd := c.build(context.Background())
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error)
	go func() {
		done <- cmd.Wait() // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		return fmt.Errorf("%s: %w", c, ErrTimeout)
	}
}

// RunDeadline is RunTimeout done right: the result channel has room for the
// single sender, so the waiter never blocks after we give up on it.
func (c *Cmd) RunDeadline(timeout time.Duration) error {
	cmd := c.build(context.Background())
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		done <- cmd.Wait()
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		_ = cmd.Process.Kill()
		return fmt.Errorf("%s: %w", c, ErrTimeout)
	}
}

// WaitOrKill waits for an already started command; on timeout it kills the
// process and still collects the waiter, so nothing is left blocked.
func WaitOrKill(cmd *exec.Cmd, timeout time.Duration) error {
	done := make(chan error)
	go func() {
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		<-done
		return ErrTimeout
	}
}

// FirstLines runs the command and returns up to n lines of its stdout,
// giving up after timeout.
func (c *Cmd) FirstLines(n int, timeout time.Duration) ([]string, error) {
	cmd := c.build(context.Background())
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := make(chan string, n)
	defer close(lines) // HAZ defer-close-chan-with-sender
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		_ = cmd.Wait()
	}()
	var got []string
	deadline := time.After(timeout)
	for len(got) < n {
		select {
		case l := <-lines:
			got = append(got, l)
		case <-deadline:
			return got, ErrTimeout
		}
	}
	return got, nil
}

// CombinedLines runs the command and returns stdout and stderr lines merged
// in arrival order. Both readers finish before the channel is closed.
func (c *Cmd) CombinedLines(ctx context.Context) ([]string, error) {
	cmd := c.build(ctx)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := make(chan string)
	var wg sync.WaitGroup
	for _, r := range []io.Reader{stdout, stderr} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
	}
	go func() {
		wg.Wait()
		close(lines)
	}()
	var all []string
	for l := range lines {
		all = append(all, l)
	}
	return all, cmd.Wait()
}

// Tee runs the command, copying its stdout to w with every line prefixed.
func (c *Cmd) Tee(w io.Writer, prefix string) error {
	cmd := c.build(context.Background())
	stdout, err := cmd.StdoutPipe()
	defer stdout.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, err := fmt.Fprintf(w, "%s%s\n", prefix, sc.Text()); err != nil {
			return err
		}
	}
	return cmd.Wait()
}

// Prefixed is Tee with the pipe error checked before anything is deferred.
func (c *Cmd) Prefixed(w io.Writer, prefix string) error {
	cmd := c.build(context.Background())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	defer stdout.Close()
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		fmt.Fprintf(w, "%s%s\n", prefix, sc.Text())
	}
	return cmd.Wait()
}

// WithServer starts a helper process (a language server, a fake remote),
// runs fn, then interrupts the helper.
func WithServer(name string, args []string, fn func() error) error {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	defer cmd.Process.Signal(os.Interrupt)
	return fn()
}

// Pipeline connects the stdout of each command to the stdin of the next and
// returns the output of the last one.
func Pipeline(ctx context.Context, cmds ...*Cmd) (string, error) {
	if len(cmds) == 0 {
		return "", errors.New("procutil: empty pipeline")
	}
	execs := make([]*exec.Cmd, len(cmds))
	for i, c := range cmds {
		execs[i] = c.build(ctx)
	}
	for i := 0; i < len(execs)-1; i++ {
		r, err := execs[i].StdoutPipe()
		if err != nil {
			return "", err
		}
		execs[i+1].Stdin = r
	}
	var out bytes.Buffer
	execs[len(execs)-1].Stdout = &out
	for _, e := range execs {
		if err := e.Start(); err != nil {
			return "", err
		}
	}
	var firstErr error
	for _, e := range execs {
		if err := e.Wait(); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return out.String(), firstErr
}

// LookPathAll reports which of the given tools are missing from PATH.
func LookPathAll(tools ...string) []string {
	var missing []string
	for _, t := range tools {
		if _, err := exec.LookPath(t); err != nil {
			missing = append(missing, t)
		}
	}
	return missing
}
