// Package build drives a forge build: it runs actions through the cache,
// the runner and the plugins.
package build

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync/atomic"

	"example.com/fah28/internal/cache"
	"example.com/fah28/internal/graph"
	"example.com/fah28/internal/runner"
	"example.com/fah28/internal/trace"
	"example.com/fah28/internal/workspace"
)

// Action is one command of the build.
type Action struct {
	ID        string
	Cmd       []string
	Inputs    []string
	Outputs   []string
	Exclusive bool // writes outside its sandbox: needs the workspace lock
	Sandboxed bool
}

// Builder runs actions for one workspace.
type Builder struct {
	workDir string
	cache   *cache.ActionCache
	run     *runner.Runner
	log     *log.Logger
	out     io.Writer

	onDone func(id string) // optional, see SetOnDone

	passed atomic.Int64
	failed atomic.Int64
}

// New returns a builder for workDir.
func New(workDir string, c *cache.ActionCache, r *runner.Runner, logger *log.Logger, out io.Writer) *Builder {
	return &Builder{workDir: workDir, cache: c, run: r, log: logger, out: out}
}

// record logs the outcome of one step and bumps the counters.
func (b *Builder) record(step, pkg string, err error) {
	if err != nil {
		b.failed.Add(1)
		b.log.Printf("%s %s: FAIL: %v", step, pkg, err)
		return
	}
	b.passed.Add(1)
	b.log.Printf("%s %s: ok", step, pkg)
}

// Compile compiles one package, timing the phase.
func (b *Builder) Compile(ctx context.Context, pkg string) error {
	defer trace.Region(b.log, "compile "+pkg)()
	if out, ok := b.cache.Get("compile:" + pkg); ok {
		b.log.Printf("compile %s: cached (%s)", pkg, out)
		return nil
	}
	if err := b.run.Run(ctx, "go", "build", "-o", filepath.Join(b.workDir, "obj"), pkg); err != nil {
		return err
	}
	b.cache.Put("compile:"+pkg, filepath.Join(b.workDir, "obj"), 0)
	return nil
}

// Link links the compiled objects into the binary out, timing the phase.
func (b *Builder) Link(ctx context.Context, out string, objs []string) error {
	defer trace.Region(b.log, "link "+out) // HAZ defer-func-result-not-called
	if len(objs) == 0 {
		return fmt.Errorf("link %s: no objects", out)
	}
	args := append([]string{"tool", "link", "-o", out}, objs...)
	return b.run.Run(ctx, "go", args...)
}

// Test runs the tests of pkg and records the outcome.
func (b *Builder) Test(ctx context.Context, pkg string) error {
	var err error
	defer b.record("test", pkg, err) // HAZ defer-eager-evaluation
	if err = b.run.Run(ctx, "go", "test", pkg); err != nil {
		return fmt.Errorf("test %s: %w", pkg, err)
	}
	return nil
}

// Vet runs go vet on pkg and records the outcome.
func (b *Builder) Vet(ctx context.Context, pkg string) (err error) {
	defer func() { b.record("vet", pkg, err) }()
	if err = b.run.Run(ctx, "go", "vet", pkg); err != nil {
		return fmt.Errorf("vet %s: %w", pkg, err)
	}
	return nil
}

// Install copies a built binary into dest and logs when it is done.
func (b *Builder) Install(ctx context.Context, pkg, dest string) error {
	dest = filepath.Clean(dest)
	defer b.log.Printf("install %s -> %s finished", pkg, dest)
	return b.run.Run(ctx, "go", "build", "-o", dest, pkg)
}

// Build runs the whole graph and prints the cache statistics at the end.
func (b *Builder) Build(ctx context.Context, g *graph.Graph, jobs int) error {
	defer b.cache.Stats().Print(b.out) // HAZ defer-call-chain
	if err := g.RunLevels(ctx, jobs); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	fmt.Fprintf(b.out, "build: %d steps passed, %d failed\n", b.passed.Load(), b.failed.Load())
	return nil
}

// Rebuild is Build for watch mode: it prints the cache statistics as they
// are once the rebuild has finished.
func (b *Builder) Rebuild(ctx context.Context, g *graph.Graph, jobs int) error {
	defer func() { b.cache.Stats().Print(b.out) }()
	return g.RunLevels(ctx, jobs)
}

// runAction executes one action in the workspace, taking the workspace
// lock for actions that write outside their own outputs.
func (b *Builder) runAction(ctx context.Context, a Action) error {
	var release func() error
	if a.Exclusive {
		rel, err := workspace.Acquire(b.workDir)
		if err != nil {
			return err
		}
		release = rel
	}
	defer release() // HAZ defer-nil-func
	return b.run.Run(ctx, a.Cmd[0], a.Cmd[1:]...)
}

// runSerial runs actions one after another under the workspace lock.
func (b *Builder) runSerial(ctx context.Context, actions []Action) error {
	release, err := workspace.Acquire(b.workDir)
	if err != nil {
		return err
	}
	defer release()
	for _, a := range actions {
		if err := b.run.Run(ctx, a.Cmd[0], a.Cmd[1:]...); err != nil {
			return fmt.Errorf("action %s: %w", a.ID, err)
		}
	}
	return nil
}

// RunOne runs one action, in a sandbox if it asks for one.
func (b *Builder) RunOne(ctx context.Context, a Action) error {
	if a.Sandboxed {
		return b.runSandboxed(ctx, a)
	}
	release := func() error { return nil }
	if a.Exclusive {
		rel, err := workspace.Acquire(b.workDir)
		if err != nil {
			return err
		}
		release = rel
	}
	defer release()
	return b.run.Run(ctx, a.Cmd[0], a.Cmd[1:]...)
}

// runSandboxed runs a in a fresh sandbox holding copies of its inputs and
// copies its outputs back. The sandbox is removed explicitly once the
// outputs are safe, and a removal failure is reported.
func (b *Builder) runSandboxed(ctx context.Context, a Action) (err error) {
	sb, err := workspace.NewSandbox(filepath.Join(b.workDir, ".sandbox"), a.ID)
	if err != nil {
		return err
	}
	err = b.inSandbox(ctx, sb, a)
	if rmErr := sb.Remove(); rmErr != nil && err == nil {
		err = fmt.Errorf("remove sandbox: %w", rmErr)
	}
	return err
}

// inSandbox populates sb, runs the action there and collects its outputs.
func (b *Builder) inSandbox(ctx context.Context, sb *workspace.Sandbox, a Action) error {
	if err := sb.Populate(b.workDir, a.Inputs); err != nil {
		return err
	}
	r := *b.run
	r.Dir = sb.Dir
	if err := r.Run(ctx, a.Cmd[0], a.Cmd[1:]...); err != nil {
		return err
	}
	return sb.Collect(b.workDir, a.Outputs)
}

// Actions turns actions into graph nodes executed by this builder.
func (b *Builder) Actions(actions []Action) (*graph.Graph, error) {
	g := graph.New()
	for _, a := range actions {
		n := &graph.Node{
			ID:     a.ID,
			Inputs: a.Inputs,
			Action: func(ctx context.Context) error {
				err := b.runAction(ctx, a)
				b.record("run", a.ID, err)
				return err
			},
		}
		if err := g.Add(n); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// SetOnDone installs a hook that the watch-mode UI uses to hear about
// finished stages.
func (b *Builder) SetOnDone(fn func(id string)) {
	b.onDone = fn
}

// Stage runs a and then tells the UI hook that it is done.
func (b *Builder) Stage(ctx context.Context, a Action) error {
	defer b.onDone(a.ID) // HAZ defer-nil-func
	if err := b.RunOne(ctx, a); err != nil {
		return fmt.Errorf("stage %s: %w", a.ID, err)
	}
	return nil
}

// Generate runs a code-generation action. Generators that rewrite shared
// files take the workspace lock.
func (b *Builder) Generate(ctx context.Context, a Action) error {
	release := func() error { return nil }
	defer release() // HAZ defer-eager-evaluation
	if a.Exclusive {
		rel, err := workspace.Acquire(b.workDir)
		if err != nil {
			return err
		}
		release = rel
	}
	return b.run.Run(ctx, a.Cmd[0], a.Cmd[1:]...)
}

// Clean removes the build outputs. In a shared workspace it holds the
// workspace lock while doing so and reports a failure to release it.
func (b *Builder) Clean(shared bool) (err error) {
	if shared {
		release, err := workspace.Acquire(b.workDir)
		if err != nil {
			return err
		}
		defer func() { // HAZ defer-ineffective-return
			if rerr := release(); rerr != nil && err == nil {
				err = rerr
			}
		}()
	}
	for _, d := range []string{"obj", "bin"} {
		if err := os.RemoveAll(filepath.Join(b.workDir, d)); err != nil {
			return err
		}
	}
	return nil
}
