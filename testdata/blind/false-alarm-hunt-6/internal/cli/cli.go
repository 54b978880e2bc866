// Package cli is the tiny subcommand framework shared by the tools under
// cmd/. Commands return errors; only the top level turns them into exit
// codes, after every deferred cleanup in the command has run.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// ExitError carries a specific exit status.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }

func (e *ExitError) Unwrap() error { return e.Err }

// Exitf builds an ExitError.
func Exitf(code int, format string, args ...any) error {
	return &ExitError{Code: code, Err: fmt.Errorf(format, args...)}
}

// ErrUsage signals a usage error (exit status 2).
var ErrUsage = errors.New("usage error")

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Flags   func(fs *flag.FlagSet)
	Run     func(fs *flag.FlagSet, args []string) error
}

// App is a set of subcommands.
type App struct {
	Name     string
	Stderr   io.Writer
	commands map[string]*Command
}

// NewApp returns an empty application.
func NewApp(name string) *App {
	return &App{Name: name, Stderr: os.Stderr, commands: make(map[string]*Command)}
}

// Register adds a command.
func (a *App) Register(c *Command) {
	a.commands[c.Name] = c
}

// Usage prints the command list.
func (a *App) Usage() {
	names := make([]string, 0, len(a.commands))
	for n := range a.commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(a.Stderr, "usage: %s <command> [flags]\n\ncommands:\n", a.Name)
	for _, n := range names {
		fmt.Fprintf(a.Stderr, "  %-12s %s\n", n, a.commands[n].Summary)
	}
}

// Run dispatches args and returns the process exit status. It never calls
// os.Exit itself.
func (a *App) Run(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "help" {
		a.Usage()
		return 2
	}
	c, ok := a.commands[args[0]]
	if !ok {
		fmt.Fprintf(a.Stderr, "%s: unknown command %q\n", a.Name, args[0])
		a.Usage()
		return 2
	}
	fs := flag.NewFlagSet(a.Name+" "+c.Name, flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	if c.Flags != nil {
		c.Flags(fs)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	return a.report(c.Run(fs, fs.Args()))
}

func (a *App) report(err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(a.Stderr, "%s: %v\n", a.Name, err)
	return Code(err)
}

// Code maps an error to an exit status.
func Code(err error) int {
	var ee *ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, ErrUsage):
		return 2
	default:
		return 1
	}
}

// Die prints a message and exits with status 1. It is meant for the first
// lines of main, before anything has been deferred.
func Die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// SplitList splits a comma separated flag value.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Confirm asks a yes/no question on r/w.
func Confirm(r io.Reader, w io.Writer, question string) bool {
	fmt.Fprintf(w, "%s [y/N] ", question)
	var answer string
	if _, err := fmt.Fscanln(r, &answer); err != nil {
		return false
	}
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}
