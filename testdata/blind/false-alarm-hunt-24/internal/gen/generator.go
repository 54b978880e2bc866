// Package gen drives a generator run: it renders targets from templates,
// formats the Go outputs, bundles them and keeps the render cache.
package gen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/fah24/internal/cache"
	"example.com/fah24/internal/lockfile"
	"example.com/fah24/internal/plugin"
	"example.com/fah24/internal/progress"
	"example.com/fah24/internal/render"
)

// Config is the generator configuration, usually read from gentool.json.
type Config struct {
	TemplateDir string `json:"templates"`
	OutDir      string `json:"out"`
	CachePath   string `json:"cache"`
	Workers     int    `json:"workers"`
	Verbose     bool   `json:"verbose"`
	Exclusive   bool   `json:"exclusive"`
}

// Target is one file to generate.
type Target struct {
	Name     string         `json:"name"`
	Template string         `json:"template"`
	Out      string         `json:"out"`
	Data     map[string]any `json:"data"`
}

// Result is the outcome of one target.
type Result struct {
	Target Target
	Err    error
}

// Generator renders targets for one configuration.
type Generator struct {
	cfg     Config
	r       *render.Renderer
	cache   *cache.Store
	plugins *plugin.Registry
	stats   *Stats
	log     *log.Logger

	// teardown holds per-stage cleanup registered with OnTeardown. It is
	// filled during setup, before any stage runs.
	teardown map[string]func()
}

// New parses the templates and loads the render cache.
func New(cfg Config, logger *log.Logger) (*Generator, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	r, err := render.New(cfg.TemplateDir)
	if err != nil {
		return nil, err
	}
	store, err := cache.Load(cfg.CachePath, 1024)
	if err != nil {
		return nil, fmt.Errorf("load cache: %w", err)
	}
	return &Generator{cfg: cfg, r: r, cache: store, plugins: plugin.NewRegistry(logger), stats: &Stats{}, log: logger, teardown: make(map[string]func())}, nil
}

// Stats returns the per-stage timing.
func (g *Generator) Stats() *Stats { return g.stats }

// OutDir is the directory outputs are written to.
func (g *Generator) OutDir() string { return g.cfg.OutDir }

// Plugins returns the plugin registry.
func (g *Generator) Plugins() *plugin.Registry { return g.plugins }

// Run generates every target with a progress line on stderr. The progress
// goroutine is stopped and joined before Run returns.
func (g *Generator) Run(ctx context.Context, targets []Target) (err error) {
	defer g.stats.Track("run")()
	defer g.stats.Outcome("run", &err)
	rep := progress.New(os.Stderr, len(targets), 0)
	rep.Start()
	defer rep.Stop()
	return g.withOutputLock(func() error {
		return g.generateParallel(ctx, targets, rep.Step)
	})
}

// withOutputLock holds the output tree's lock file while fn runs. A failed
// release is joined into the named result.
func (g *Generator) withOutputLock(fn func() error) (err error) {
	l, err := lockfile.Acquire(filepath.Join(g.cfg.OutDir, ".gentool.lock"), 30*time.Second)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, l.Release()) }()
	return fn()
}

func (g *Generator) generateOne(ctx context.Context, t Target) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer g.stats.Track("target")()
	path := filepath.Join(g.cfg.OutDir, t.Out)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if filepath.Ext(path) == ".go" {
		return g.r.RenderGo(path, t.Template, t.Data)
	}
	return g.r.RenderFile(path, t.Template, t.Data)
}

// Bundle packs the generated files into a release tarball.
func (g *Generator) Bundle(path string, files map[string][]byte) error {
	defer g.stats.Track("bundle") // HAZ defer-func-result-not-called
	if len(files) == 0 {
		return errors.New("nothing to bundle")
	}
	return render.WriteTarGz(path, files)
}

// Archive writes the generated files as a zip for tools that cannot read
// tarballs.
func (g *Generator) Archive(path string, files map[string][]byte) error {
	defer g.stats.Track("archive")()
	if len(files) == 0 {
		return errors.New("nothing to archive")
	}
	return render.WriteZip(path, files)
}

// Preview renders t to w instead of disk. In verbose mode the generator's
// log is redirected to w for the duration so both interleave.
func (g *Generator) Preview(ctx context.Context, t Target, w io.Writer) error {
	var restore func()
	if g.cfg.Verbose {
		prev := g.log.Writer()
		g.log.SetOutput(w)
		restore = func() { g.log.SetOutput(prev) }
	}
	defer restore() // HAZ defer-nil-func
	if err := ctx.Err(); err != nil {
		return err
	}
	g.log.Printf("preview %s (%s)", t.Name, t.Template)
	return g.r.RenderTo(w, t.Template, t.Data)
}

// Explain is Preview plus the resolved output path. restore starts as a
// no-op, so the deferred call is safe in both modes.
func (g *Generator) Explain(ctx context.Context, t Target, w io.Writer) error {
	restore := func() {}
	if g.cfg.Verbose {
		prev := g.log.Writer()
		g.log.SetOutput(w)
		restore = func() { g.log.SetOutput(prev) }
	}
	defer restore()
	if err := ctx.Err(); err != nil {
		return err
	}
	fmt.Fprintf(w, "# %s -> %s\n", t.Template, filepath.Join(g.cfg.OutDir, t.Out))
	return g.r.RenderTo(w, t.Template, t.Data)
}

// Warm renders every key into the cache and saves the cache when done.
func (g *Generator) Warm(ctx context.Context, targets []Target) error {
	defer g.cache.Snapshot().Persist(g.cfg.CachePath) // HAZ defer-call-chain
	for _, t := range targets {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := g.renderBytes(t)
		if err != nil {
			return err
		}
		g.cache.Put(t.Name, data)
	}
	return nil
}

// Refill is Warm for a subset. The snapshot is taken inside the deferred
// closure, i.e. after the loop, and the save error is reported.
func (g *Generator) Refill(ctx context.Context, targets []Target) (err error) {
	defer func() {
		err = errors.Join(err, g.cache.Snapshot().Persist(g.cfg.CachePath))
	}()
	for _, t := range targets {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := g.renderTimeout(ctx, t, time.Minute)
		if err != nil {
			return err
		}
		g.cache.Put(t.Name, data)
	}
	return nil
}

// SaveCache writes the render cache to its configured path.
func (g *Generator) SaveCache() error {
	return g.cache.Snapshot().Persist(g.cfg.CachePath)
}

func (g *Generator) renderBytes(t Target) ([]byte, error) {
	var buf bytes.Buffer
	if err := g.r.RenderTo(&buf, t.Template, t.Data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// OnTeardown registers fn to run after every execution of stage.
func (g *Generator) OnTeardown(stage string, fn func()) {
	g.teardown[stage] = fn
}

// RunStage runs fn as stage name, followed by the stage's teardown.
func (g *Generator) RunStage(name string, fn func() error) error {
	teardown := g.teardown[name]
	defer teardown() // HAZ defer-nil-func
	defer g.stats.Track(name)()
	return fn()
}

// runPhase is RunStage for internal phases; the teardown is deferred only
// when one is registered.
func (g *Generator) runPhase(name string, fn func() error) error {
	if td, ok := g.teardown[name]; ok {
		defer td()
	}
	defer g.stats.Track(name)()
	return fn()
}

// RunExclusive runs the targets, holding the output lock when the
// configuration asks for exclusive access.
func (g *Generator) RunExclusive(ctx context.Context, targets []Target) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if g.cfg.Exclusive {
		l, err := lockfile.Acquire(filepath.Join(g.cfg.OutDir, ".gentool.lock"), 30*time.Second)
		if err != nil {
			return err
		}
		release = func() { l.Release() }
	}
	return g.generateParallel(ctx, targets, func() {})
}

// RunAndSave runs the targets and then writes the render cache.
func (g *Generator) RunAndSave(ctx context.Context, targets []Target) error {
	defer func() error { // HAZ defer-ineffective-return
		return g.SaveCache()
	}()
	return g.Run(ctx, targets)
}
