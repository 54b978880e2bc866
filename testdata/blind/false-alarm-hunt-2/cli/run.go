package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ExitError carries a process exit code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode maps an error to a process exit code.
func ExitCode(err error) int {
	var ee *ExitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrHelp):
		return 0
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, context.Canceled):
		return 130
	default:
		return 1
	}
}

// Main runs root with signal handling and returns the exit code; main does os.Exit(cli.Main(root)).
func Main(root *Command) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := root.Execute(ctx)
	if err != nil && !errors.Is(err, ErrHelp) {
		fmt.Fprintf(os.Stderr, "%s: %v\n", root.Name(), err)
	}
	return ExitCode(err)
}

// Spinner shows progress until stopped.
type Spinner struct {
	w    io.Writer
	msg  string
	once sync.Once
	quit chan struct{}
	done chan struct{}
}

// StartSpinner starts a spinner goroutine.
func StartSpinner(w io.Writer, msg string) *Spinner {
	s := &Spinner{w: w, msg: msg, quit: make(chan struct{}), done: make(chan struct{})}
	go s.spin()
	return s
}

func (s *Spinner) spin() {
	defer close(s.done)
	frames := `|/-\`
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-s.quit:
			fmt.Fprintf(s.w, "\r%s done\n", s.msg)
			return
		case <-t.C:
			fmt.Fprintf(s.w, "\r%s %c", s.msg, frames[i%len(frames)])
		}
	}
}

// Stop stops the spinner and waits for its last frame; safe to call twice.
func (s *Spinner) Stop() {
	s.once.Do(func() { close(s.quit) })
	<-s.done
}

// WithSpinner runs fn while a spinner is shown.
func WithSpinner(w io.Writer, msg string, fn func() error) error {
	sp := StartSpinner(w, msg)
	defer sp.Stop() // ok: spin() always closes done promptly after quit
	return fn()
}

// Confirm asks a yes/no question.
func Confirm(r io.Reader, w io.Writer, prompt string) (bool, error) {
	fmt.Fprintf(w, "%s [y/N] ", prompt)
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// WithTempDir runs fn with a scratch directory that is removed afterwards.
func WithTempDir(prefix string, fn func(dir string) error) (err error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }() // ok: scratch cleanup, error reported
	return fn(dir)
}

// Quiet runs fn with the standard logger's prefix and flags cleared, then restores them.
func Quiet(fn func()) {
	defer log.SetFlags(log.Flags())   // ok: the current flags are deliberately captured now
	defer log.SetPrefix(log.Prefix()) // ok: likewise for the prefix
	log.SetFlags(0)
	log.SetPrefix("")
	fn()
}

// Verbose returns a RunFunc wrapper that logs the arguments of a command.
func Verbose(run RunFunc) RunFunc {
	return func(ctx context.Context, cmd *Command, args []string) error {
		logger := cmd.Logger()
		defer logger.Printf("cli: %s %q finished", cmd.CommandPath(), args) // ok: args and path do not change
		return run(ctx, cmd, args)
	}
}

// PrintTable writes rows aligned in columns.
func PrintTable(w io.Writer, header []string, rows [][]string) (err error) {
	bw := bufio.NewWriter(w)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	fmt.Fprintln(bw, strings.Join(header, "\t"))
	for _, r := range rows {
		if _, err := fmt.Fprintln(bw, strings.Join(r, "\t")); err != nil {
			return err
		}
	}
	return nil
}

// RequireArgs returns a PreRun that checks the argument count.
func RequireArgs(n int) RunFunc {
	return func(ctx context.Context, cmd *Command, args []string) error {
		if len(args) != n {
			return &ExitError{Code: 2, Err: fmt.Errorf("%s: want %d arguments, got %d", cmd.CommandPath(), n, len(args))}
		}
		return nil
	}
}
