// Command autogen is the container entrypoint of the docs preview
// environment: it regenerates outputs whenever the mounted templates change.
package main

import (
	"context"
	"flag"
	"log"
	"path/filepath"
	"time"

	"example.com/fah24/internal/fsutil"
	"example.com/fah24/internal/gen"
	"example.com/fah24/internal/lockfile"
)

func main() {
	configPath := flag.String("config", "gentool.json", "configuration `file`")
	manifest := flag.String("targets", "targets.jsonl", "manifest `file`")
	interval := flag.Duration("interval", 2*time.Second, "poll interval")
	flag.Parse()

	var cfg gen.Config
	if err := fsutil.ReadJSON(*configPath, &cfg); err != nil {
		log.Fatal(err)
	}
	g, err := gen.New(cfg, log.Default())
	if err != nil {
		log.Fatal(err)
	}
	lock, err := lockfile.Acquire(filepath.Join(cfg.OutDir, ".autogen.lock"), 0)
	if err != nil {
		log.Fatal(err)
	}
	defer lock.Release()

	last := ""
	for { // HAZ signal-skips-defer
		digest, err := gen.DigestTree(cfg.TemplateDir, ".tmpl")
		if err == nil && digest != last {
			err = regenerate(g, *manifest)
			last = digest
		}
		if err != nil {
			log.Print(err)
		}
		time.Sleep(*interval)
	}
}

// regenerate reloads the manifest and renders every target.
func regenerate(g *gen.Generator, manifest string) error {
	targets, err := gen.LoadTargets(manifest)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return g.Run(ctx, targets)
}
