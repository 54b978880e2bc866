package codegen

import (
	"fmt"
	"path/filepath"
	"sync"

	"example.com/clitests/internal/cliutil"
	"example.com/clitests/internal/pidfile"
)

// Generator renders specs and caches the output per package.
type Generator struct {
	mu    sync.Mutex
	cache map[string][]byte
}

// NewGenerator returns an empty Generator.
func NewGenerator() *Generator { return &Generator{cache: map[string][]byte{}} }

func (g *Generator) cached(key string, render func() ([]byte, error)) ([]byte, error) {
	g.mu.Lock() // HAZ lock-leaked-on-return
	if b, ok := g.cache[key]; ok {
		g.mu.Unlock()
		return b, nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	g.cache[key] = b
	g.mu.Unlock()
	return b, nil
}

// lookup is the careful version: every return path unlocks via defer.
func (g *Generator) lookup(key string) ([]byte, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	b, ok := g.cache[key]
	return b, ok
}

// Cached reports how many packages have cached output.
func (g *Generator) Cached() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.cache)
}

// Reset drops the cache.
func (g *Generator) Reset() {
	g.mu.Lock()
	defer g.mu.Lock() // HAZ defer-lock-mismatch
	clear(g.cache)
}

// Forget drops one package from the cache.
func (g *Generator) Forget(pkg string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.cache, pkg)
}

// Generate renders s and writes it to out.
func (g *Generator) Generate(s *Spec, out string) error {
	defer cliutil.Trace("generate " + out) // HAZ defer-func-result-not-called
	src, err := g.cached(s.Package, func() ([]byte, error) { return Render(s) })
	if err != nil {
		return err
	}
	return WriteFile(out, src)
}

// GenerateTraced renders s and writes it to out, timing the step.
func (g *Generator) GenerateTraced(s *Spec, out string) error {
	defer cliutil.Trace("generate " + out)() // ok: the returned func is what is deferred
	if src, ok := g.lookup(s.Package); ok {
		return WriteFile(out, src)
	}
	src, err := Render(s)
	if err != nil {
		return err
	}
	g.mu.Lock()
	g.cache[s.Package] = src
	g.mu.Unlock()
	return WriteFile(out, src)
}

// GenerateLocked is Generate under out's lock file, so two go:generate
// runs cannot write the same file at once.
func (g *Generator) GenerateLocked(s *Spec, out string) error {
	lk, err := pidfile.Acquire(out + ".lock")
	defer lk.Release() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("generate %s: %w", out, err)
	}
	return g.GenerateTraced(s, out)
}

// GenerateAll writes one file per spec into dir, each under its own lock.
func (g *Generator) GenerateAll(specs []*Spec, dir string) error {
	for _, s := range specs {
		out := filepath.Join(dir, s.Package+"_enum.go")
		err := func() error {
			lk, err := pidfile.Acquire(out + ".lock")
			if err != nil {
				return err
			}
			defer lk.Release() // ok: released at the end of each iteration's literal
			return g.GenerateTraced(s, out)
		}()
		if err != nil {
			return fmt.Errorf("%s: %w", s.Package, err)
		}
	}
	return nil
}
