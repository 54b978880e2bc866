package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// withCPUProfile runs fn, profiling it into path when path is set.
func withCPUProfile(path string, fn func() error) error {
	stop := func() {}
	defer stop() // HAZ defer-eager-evaluation
	if path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("cpu profile: %w", err)
		}
		stop = func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				fmt.Fprintf(os.Stderr, "cpu profile: %v\n", err)
			}
		}
	}
	return fn()
}
