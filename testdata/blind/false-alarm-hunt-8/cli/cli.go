// Package cli implements the subcommands of the infra tool.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// Env carries the process streams so that commands can be tested.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, env *Env, args []string) error
}

// ExitError asks Run to return a specific exit code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// App is a set of subcommands.
type App struct {
	Name     string
	Debug    bool
	env      *Env
	commands map[string]*Command
}

// New returns the app with every built-in command registered.
func New(stdout, stderr io.Writer) *App {
	a := &App{
		Name:     "infra",
		env:      &Env{Stdout: stdout, Stderr: stderr, Getenv: os.Getenv},
		commands: make(map[string]*Command),
	}
	for _, c := range builtins() {
		a.Register(c)
	}
	return a
}

// Register adds c, replacing a command of the same name.
func (a *App) Register(c *Command) { a.commands[c.Name] = c }

// Run dispatches args and returns the process exit code. It never exits
// the process itself, so the caller's deferred cleanup always runs.
func (a *App) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" {
		a.usage()
		return 2
	}
	cmd, ok := a.commands[args[0]]
	if !ok {
		fmt.Fprintf(a.env.Stderr, "%s: unknown command %q\n", a.Name, args[0])
		a.usage()
		return 2
	}
	err := a.invoke(ctx, cmd, args[1:])
	if err == nil {
		return 0
	}
	fmt.Fprintf(a.env.Stderr, "%s %s: %v\n", a.Name, cmd.Name, err)
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 1
}

// invoke runs cmd and turns a panic into an error, unless the app is in
// debug mode, where the panic is re-raised with its original stack.
func (a *App) invoke(ctx context.Context, cmd *Command, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if a.Debug {
				panic(r)
			}
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return cmd.Run(ctx, a.env, args)
}

func (a *App) usage() {
	names := make([]string, 0, len(a.commands))
	for n := range a.commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(a.env.Stderr, "usage: %s COMMAND [flags]\n\ncommands:\n", a.Name)
	for _, n := range names {
		fmt.Fprintf(a.env.Stderr, "  %-10s %s\n", n, a.commands[n].Summary)
	}
}
