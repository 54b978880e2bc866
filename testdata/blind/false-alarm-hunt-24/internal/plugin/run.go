package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// GenerateAll runs every loaded plugin on in concurrently and merges their
// files. Conflicting paths are an error.
func (r *Registry) GenerateAll(ctx context.Context, in *Input) (files []File, err error) {
	defer recoverAs(&err, "generate")
	plugins := r.snapshotLoaded()
	results := make([][]File, len(plugins))
	errs := make([]error, len(plugins))
	var wg sync.WaitGroup
	for i, p := range plugins {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			results[i], errs[i] = p.Generate(ctx, in)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return mergeFiles(results)
}

// ValidateAll asks every loaded plugin that implements Validator to check
// in. Each check runs in its own goroutine with its own recover, so one
// broken plugin yields an error instead of killing the process.
func (r *Registry) ValidateAll(ctx context.Context, in *Input) (err error) {
	defer recoverAs(&err, "validate")
	plugins := r.snapshotLoaded()
	errs := make([]error, len(plugins))
	var wg sync.WaitGroup
	for i, p := range plugins {
		v, ok := p.(Validator)
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer recoverAs(&errs[i], "plugin "+p.Name())
			errs[i] = v.Validate(ctx, in)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func mergeFiles(results [][]File) ([]File, error) {
	seen := make(map[string]bool)
	var out []File
	for _, files := range results {
		for _, f := range files {
			if seen[f.Path] {
				return nil, fmt.Errorf("two plugins generate %s", f.Path)
			}
			seen[f.Path] = true
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// label is the one-line name shown in "gentool plugins".
func label(p Plugin) (s string) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	s = p.Name()
	if d, ok := p.(Describer); ok {
		s += " - " + firstLine(d.Describe())
	}
	return s
}

// describe returns the full help text of p. A plugin whose Describe panics
// gets a placeholder text, and the panic is logged.
func (r *Registry) describe(p Plugin) (text string) {
	defer func() {
		if v := recover(); v != nil {
			r.log.Printf("plugin %T: Describe panicked: %v", p, v)
			text = "(no description: Describe panicked)"
		}
	}()
	if d, ok := p.(Describer); ok {
		return d.Describe()
	}
	return "(no description)"
}

// PrintHelp writes the name and help text of every registered plugin.
func (r *Registry) PrintHelp(ctx context.Context, w io.Writer) error {
	for _, name := range r.Names() {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := r.Load(name)
		if err != nil {
			fmt.Fprintf(w, "%s\n\t(failed to load: %v)\n", name, err)
			continue
		}
		fmt.Fprintf(w, "%s\n\t%s\n", label(p), strings.ReplaceAll(r.describe(p), "\n", "\n\t"))
	}
	return nil
}

// Warmup instantiates every registered plugin once so that constructor
// failures are reported before a long run; panics are logged per plugin.
func (r *Registry) Warmup() int {
	ok := 0
	for _, name := range r.Names() {
		func() {
			defer func() { logPanic(r.log, "plugin "+name+" warmup", recover()) }()
			if _, err := r.Load(name); err != nil {
				r.log.Printf("plugin %s: %v", name, err)
				return
			}
			ok++
		}()
	}
	return ok
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Hooker is implemented by plugins that want to run after generation.
type Hooker interface{ AfterGenerate(files []File) }

// RunHooks calls every loaded plugin's AfterGenerate hook in turn. A
// panicking hook is meant to be logged by guard and skipped.
func (r *Registry) RunHooks(files []File) {
	for _, p := range r.snapshotLoaded() {
		h, ok := p.(Hooker)
		if !ok {
			continue
		}
		func() {
			defer func() { r.guard(p.Name()) }()
			h.AfterGenerate(files)
		}()
	}
}

// guard logs the panic of plugin name, if one is in progress.
func (r *Registry) guard(name string) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		r.log.Printf("plugin %s: hook panicked: %v", name, v)
	}
}
