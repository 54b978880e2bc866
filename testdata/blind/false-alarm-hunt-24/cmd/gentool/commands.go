package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/fah24/internal/gen"
	"example.com/fah24/internal/watch"
)

func newFlags(e *env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("gentool "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	config := fs.String("config", "gentool.json", "configuration `file`")
	return fs, config
}

func setup(e *env, name string, args []string) (*gen.Generator, []gen.Target, error) {
	fs, config := newFlags(e, name)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if fs.NArg() != 1 {
		return nil, nil, fmt.Errorf("want exactly one manifest, got %d arguments", fs.NArg())
	}
	cfg, err := loadConfig(*config)
	if err != nil {
		return nil, nil, err
	}
	g, err := gen.New(cfg, e.log)
	if err != nil {
		return nil, nil, err
	}
	targets, err := gen.LoadTargets(fs.Arg(0))
	return g, targets, err
}

func cmdGenerate(ctx context.Context, e *env, args []string) (err error) {
	g, targets, err := setup(e, "generate", args)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, g.SaveCache()) }()
	if err := g.Run(ctx, targets); err != nil {
		return err
	}
	var goFiles []string
	for _, t := range targets {
		if filepath.Ext(t.Out) == ".go" {
			goFiles = append(goFiles, filepath.Join(g.OutDir(), t.Out))
		}
	}
	if err := g.PostProcess(goFiles); err != nil {
		return err
	}
	return g.Stats().Report(e.stdout)
}

func cmdBundle(ctx context.Context, e *env, args []string) error {
	g, targets, err := setup(e, "bundle", args)
	if err != nil {
		return err
	}
	files := make(map[string][]byte, len(targets))
	for _, t := range targets {
		data, err := os.ReadFile(filepath.Join(g.OutDir(), t.Out))
		if err != nil {
			return err
		}
		files[t.Out] = data
	}
	out := fmt.Sprintf("gentool-%s.tar.gz", time.Now().UTC().Format("20060102"))
	if err := g.Bundle(out, files); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, out)
	return nil
}

func cmdClean(ctx context.Context, e *env, args []string) error {
	g, targets, err := setup(e, "clean", args)
	if err != nil {
		return err
	}
	keep := make(map[string]bool, len(targets))
	for _, t := range targets {
		keep[filepath.ToSlash(t.Out)] = true
	}
	n, err := g.Clean(keep)
	fmt.Fprintf(e.stdout, "removed %d files\n", n)
	return err
}

// cmdWatch re-renders on change until SIGINT/SIGTERM cancels ctx.
func cmdWatch(ctx context.Context, e *env, args []string) error {
	g, targets, err := setup(e, "watch", args)
	if err != nil {
		return err
	}
	w := watch.New("templates", time.Second, func(ctx context.Context) error {
		return g.Run(ctx, targets)
	}, e.log)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-w.Events():
				fmt.Fprintf(e.stdout, "%s %s err=%v\n", ev.At.Format(time.TimeOnly), ev.Kind, ev.Err)
			}
		}
	}()
	err = w.Run(ctx)
	cancel()
	wg.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func cmdPlugins(ctx context.Context, e *env, args []string) error {
	cfg, err := loadConfig("gentool.json")
	if err != nil {
		return err
	}
	g, err := gen.New(cfg, e.log)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(e.stdout)
	if err := g.Plugins().PrintHelp(ctx, bw); err != nil {
		return err
	}
	return bw.Flush()
}

// cmdList prints one line per target of the manifest.
func cmdList(ctx context.Context, e *env, args []string) error {
	_, targets, err := setup(e, "list", args)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(e.stdout)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, t := range targets {
		if _, err := fmt.Fprintf(bw, "%-20s %-20s %s\n", t.Name, t.Template, t.Out); err != nil {
			return err
		}
	}
	return nil
}

// cmdStats prints the stage table of a run as CSV or as aligned text.
func cmdStats(ctx context.Context, e *env, args []string) error {
	g, targets, err := setup(e, "stats", args)
	if err != nil {
		return err
	}
	if err := g.Run(ctx, targets); err != nil {
		return err
	}
	bw := bufio.NewWriter(e.stdout)
	defer bw.Flush()
	if err := g.Stats().Report(bw); err != nil {
		return err
	}
	return bw.Flush()
}
