package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"os"
	"runtime/pprof"
	"time"

	"example.com/fah21/internal/gen"
)

// cmdProfile renders the specs repeatedly under the CPU profiler and writes
// the profile to -o.
func cmdProfile(args []string) (err error) {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	out := fs.String("o", "cpu.pprof", "profile output")
	specDir := fs.String("specs", "specs", "spec directory")
	tmplDir := fs.String("templates", "templates", "template directory")
	rounds := fs.Int("n", 20, "render rounds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	defer func() {
		pprof.StopCPUProfile()
		err = errors.Join(err, f.Close())
	}()

	specs, err := gen.LoadSpecDir(*specDir)
	if err != nil {
		log.Fatalf("profile: %v", err) // HAZ exit-skips-defer
	}
	g, err := gen.New(os.TempDir(), *tmplDir, io.Discard)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range *rounds {
		if _, err := g.RenderConcurrent(ctx, specs, 4); err != nil {
			return err
		}
	}
	return nil
}

// cmdStacks loads the specs and writes a goroutine dump to a file, for
// checking that no generator goroutine outlives its phase. Every failure
// after the file was created is returned, so the deferred close always runs.
func cmdStacks(args []string) (err error) {
	if len(args) != 2 {
		return errors.New("usage: devkit stacks out.txt specdir")
	}
	specs, err := gen.LoadSpecDir(args[1])
	if err != nil {
		return err
	}
	f, err := os.Create(args[0])
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if err := pprof.Lookup("goroutine").WriteTo(f, 1); err != nil {
		return err
	}
	log.Printf("stacks: %d specs loaded", len(specs))
	return nil
}
