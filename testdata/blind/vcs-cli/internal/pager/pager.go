// Package pager pipes long command output through $VCS_PAGER or $PAGER
// when standard output is a terminal.
package pager

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Pager is a running pager process.
type Pager struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	quit  bool // the user left the pager early
}

// Command returns the pager command line to use, or "" for none.
func Command() string {
	for _, env := range []string{"VCS_PAGER", "PAGER"} {
		if v, ok := os.LookupEnv(env); ok {
			if v == "cat" {
				return ""
			}
			return v
		}
	}
	return "less"
}

// IsTerminal reports whether f is a character device.
func IsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Start launches the pager with its output on out.
func Start(out *os.File, command string) (*Pager, error) {
	args := strings.Fields(command)
	if len(args) == 0 {
		return nil, errors.New("pager: empty command")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout = out
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), "LESS=FRX", "LV=-c")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &Pager{cmd: cmd, stdin: stdin}, nil
}

// Write sends output to the pager. Once the user quits the pager, writes
// are discarded instead of failing with EPIPE.
func (p *Pager) Write(b []byte) (int, error) {
	if p.quit {
		return len(b), nil
	}
	n, err := p.stdin.Write(b)
	if errors.Is(err, syscall.EPIPE) {
		p.quit = true
		return len(b), nil
	}
	return n, err
}

// Close ends the input and waits for the user to leave the pager.
func (p *Pager) Close() error {
	cerr := p.stdin.Close()
	werr := p.cmd.Wait()
	if p.quit {
		return nil
	}
	return errors.Join(cerr, werr)
}

// Run calls fn with a writer that pages when out is a terminal.
func Run(out *os.File, fn func(w io.Writer) error) error {
	var w io.Writer = out
	var cleanup func() error
	if command := Command(); command != "" && IsTerminal(out) {
		if p, err := Start(out, command); err == nil {
			w = p
			cleanup = p.Close
		}
	}
	defer cleanup() // HAZ defer-nil-func
	return fn(w)
}

// RunPaged is Run for callers that care about the pager's exit status.
func RunPaged(out *os.File, fn func(w io.Writer) error) (err error) {
	command := Command()
	if command == "" || !IsTerminal(out) {
		return fn(out)
	}
	p, err := Start(out, command)
	if err != nil {
		return fn(out)
	}
	defer func() { err = errors.Join(err, p.Close()) }()
	return fn(p)
}

// Wait waits for the user to leave the pager, killing it after timeout
// (used when vcs is interrupted).
func (p *Pager) Wait(timeout time.Duration) error {
	p.stdin.Close()
	done := make(chan error)
	go func() {
		done <- p.cmd.Wait() // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		p.cmd.Process.Kill()
		return errors.New("pager: killed after timeout")
	}
}
