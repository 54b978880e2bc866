// Package cli is a hand-written command tree in the style of cobra.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// ErrHelp is returned when help was requested.
var ErrHelp = flag.ErrHelp

// RunFunc runs a command.
type RunFunc func(ctx context.Context, cmd *Command, args []string) error

// Command is a node of the command tree.
type Command struct {
	Use     string
	Short   string
	Run     RunFunc
	PreRun  RunFunc
	PostRun RunFunc
	Trace   bool

	flags    *flag.FlagSet
	children []*Command
	parent   *Command
	out      io.Writer
	logger   *log.Logger
}

// Name is the first word of Use.
func (c *Command) Name() string {
	name, _, _ := strings.Cut(c.Use, " ")
	return name
}

// Flags returns the command's flag set.
func (c *Command) Flags() *flag.FlagSet {
	if c.flags == nil {
		c.flags = flag.NewFlagSet(c.Name(), flag.ContinueOnError)
		c.flags.SetOutput(io.Discard)
	}
	return c.flags
}

// AddCommand attaches children.
func (c *Command) AddCommand(cs ...*Command) {
	for _, child := range cs {
		child.parent = c
		c.children = append(c.children, child)
	}
}

// SetOutput sets where the command prints.
func (c *Command) SetOutput(w io.Writer) { c.out = w }

// OutOrStdout returns the configured output, inherited from the parent.
func (c *Command) OutOrStdout() io.Writer {
	for p := c; p != nil; p = p.parent {
		if p.out != nil {
			return p.out
		}
	}
	return os.Stdout
}

// Logger returns the command logger, inherited from the parent.
func (c *Command) Logger() *log.Logger {
	for p := c; p != nil; p = p.parent {
		if p.logger != nil {
			return p.logger
		}
	}
	return log.Default()
}

// SetLogger sets the logger.
func (c *Command) SetLogger(l *log.Logger) { c.logger = l }

// CommandPath is the full path from the root.
func (c *Command) CommandPath() string {
	if c.parent == nil {
		return c.Name()
	}
	return c.parent.CommandPath() + " " + c.Name()
}

func (c *Command) find(args []string) (*Command, []string) {
	cur := c
	for len(args) > 0 {
		var next *Command
		for _, ch := range cur.children {
			if ch.Name() == args[0] {
				next = ch
				break
			}
		}
		if next == nil {
			break
		}
		cur, args = next, args[1:]
	}
	return cur, args
}

// Execute runs the command tree with os.Args.
func (c *Command) Execute(ctx context.Context) error {
	return c.ExecuteArgs(ctx, os.Args[1:])
}

// ExecuteArgs finds the subcommand for args and runs its hooks and Run.
func (c *Command) ExecuteArgs(ctx context.Context, args []string) (err error) {
	cmd, rest := c.find(args)
	if err := cmd.Flags().Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errors.Join(ErrHelp, cmd.RenderUsage(cmd.OutOrStdout()))
		}
		return fmt.Errorf("%s: %w", cmd.CommandPath(), err)
	}
	if cmd.Run == nil {
		return cmd.RenderUsage(cmd.OutOrStdout())
	}
	rest = cmd.Flags().Args()
	if cmd.PostRun != nil {
		defer func() { err = errors.Join(err, cmd.PostRun(ctx, cmd, rest)) }() // ok: guarded by the nil check
	}
	if cmd.PreRun != nil {
		if err := cmd.PreRun(ctx, cmd, rest); err != nil {
			return err
		}
	}
	return cmd.runTraced(ctx, rest)
}

// startTrace logs the start of a command and returns the function that logs its end.
func (c *Command) startTrace() func() {
	start := time.Now()
	c.Logger().Printf("cli: %s: start", c.CommandPath())
	return func() { c.Logger().Printf("cli: %s: done in %v", c.CommandPath(), time.Since(start)) }
}

// runTraced runs Run, tracing it when Trace is set.
func (c *Command) runTraced(ctx context.Context, args []string) error {
	finish := func() {}
	if c.Trace {
		finish = c.startTrace()
	}
	defer finish() // ok: finish is never nil and not reassigned later
	return c.Run(ctx, c, args)
}

// RunWithHooks is an older entry point kept for plugins.
func (c *Command) RunWithHooks(ctx context.Context, args []string) error {
	var finish func()
	if c.Trace {
		finish = c.startTrace()
	}
	defer finish() // HAZ defer-nil-func
	return c.Run(ctx, c, args)
}

// RunMaybeTraced defers the trace only when one was started.
func (c *Command) RunMaybeTraced(ctx context.Context, args []string) error {
	var finish func()
	if c.Trace {
		finish = c.startTrace()
	}
	if finish != nil {
		defer finish() // ok: guarded by the nil check
	}
	return c.Run(ctx, c, args)
}

// RenderUsage prints the usage and the subcommands.
func (c *Command) RenderUsage(w io.Writer) (err error) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	defer func() {
		if ferr := tw.Flush(); ferr != nil && err == nil {
			err = ferr // ok: err is the named result
		}
	}()
	fmt.Fprintf(tw, "Usage: %s\n\n%s\n", c.CommandPath(), c.Short)
	if len(c.children) == 0 {
		return nil
	}
	fmt.Fprintln(tw, "\nCommands:")
	kids := append([]*Command(nil), c.children...)
	sort.Slice(kids, func(i, j int) bool { return kids[i].Name() < kids[j].Name() })
	for _, k := range kids {
		fmt.Fprintf(tw, "  %s\t%s\n", k.Name(), k.Short)
	}
	return nil
}

// RenderHelp prints the usage and all flags.
func (c *Command) RenderHelp(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	var err error
	defer func() { // HAZ defer-ineffective-return
		if ferr := tw.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	fmt.Fprintf(tw, "Usage: %s [flags]\n\nFlags:\n", c.CommandPath())
	c.Flags().VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(tw, "  -%s\t%s (default %q)\n", f.Name, f.Usage, f.DefValue)
	})
	return err
}

// ReadArgsFile reads extra arguments, one per line, from a read-only file.
func ReadArgsFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// WriteCompletion writes a shell completion script.
func (c *Command) WriteCompletion(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "complete -W %q %s\n", strings.Join(c.childNames(), " "), c.Name())
	return bw.Flush()
}

func (c *Command) childNames() []string {
	out := make([]string, 0, len(c.children))
	for _, k := range c.children {
		out = append(out, k.Name())
	}
	return out
}
