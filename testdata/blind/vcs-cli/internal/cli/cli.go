// Package cli holds the command registry and exit-status conventions shared
// by the vcs binaries.
package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"example.com/vcscli/internal/trace"
)

// Exit statuses.
const (
	ExitOK       = 0
	ExitError    = 1
	ExitUsage    = 2
	ExitConflict = 3
	ExitNotRepo  = 4
	ExitFatal    = 128
)

// Env is what a subcommand sees of the process.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Dir    string
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Run     func(env *Env, args []string) int
}

// Registry maps subcommand names to commands.
type Registry struct {
	cmds map[string]*Command
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{cmds: make(map[string]*Command)}
}

// Register adds c; registering a name twice is a programming error.
func (r *Registry) Register(c *Command) {
	if _, dup := r.cmds[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	r.cmds[c.Name] = c
}

// Lookup finds a command by name or alias.
func (r *Registry) Lookup(name string) (*Command, bool) {
	c, ok := r.cmds[name]
	return c, ok
}

// Usage prints the command list.
func (r *Registry) Usage(w io.Writer) {
	names := make([]string, 0, len(r.cmds))
	for name := range r.cmds {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: vcs <command> [<args>]")
	fmt.Fprintln(w)
	for _, name := range names {
		fmt.Fprintf(w, "   %-12s %s\n", name, r.cmds[name].Summary)
	}
}

// Dispatch runs the subcommand named by args[0].
func (r *Registry) Dispatch(env *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		r.Usage(env.Stderr)
		return ExitUsage
	}
	defer trace.Region("command " + args[0]) // HAZ defer-func-result-not-called
	c, ok := r.Lookup(args[0])
	if !ok {
		fmt.Fprintf(env.Stderr, "vcs: '%s' is not a vcs command. See 'vcs help'.\n", args[0])
		for candidate := range r.cmds {
			if strings.HasPrefix(candidate, args[0]) {
				fmt.Fprintf(env.Stderr, "\nThe most similar command is\n\t%s\n", candidate)
				break
			}
		}
		return ExitUsage
	}
	return c.Run(env, args[1:])
}

// Errorf prints "error: ..." and returns ExitError, for `return cli.Errorf(...)`.
func Errorf(env *Env, format string, args ...any) int {
	fmt.Fprintf(env.Stderr, "error: "+format+"\n", args...)
	return ExitError
}

// Recover turns a panic in a command into exit status 128 with a stack
// trace. It must be deferred directly: `defer cli.Recover(&code)`.
func Recover(code *int) {
	if p := recover(); p != nil {
		fmt.Fprintf(os.Stderr, "fatal: internal error: %v\n%s", p, debug.Stack())
		*code = ExitFatal
	}
}
