// Package lifecycle starts and stops the gateway: tracing and profiling
// setup that hand back cleanup funcs, configuration reloads, and the
// shutdown sequence.
package lifecycle

import (
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// TraceConfig configures the execution tracer.
type TraceConfig struct {
	Enabled bool
	Path    string
}

// SetupTracing starts the execution tracer and returns the func that stops
// it. When tracing is disabled there is nothing to stop.
func SetupTracing(cfg TraceConfig) (func(), error) {
	if !cfg.Enabled {
		return nil, nil
	}
	f, err := os.Create(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("trace file: %w", err)
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		trace.Stop()
		if err := f.Close(); err != nil {
			log.Printf("trace: close %s: %v", cfg.Path, err)
		}
	}, nil
}

// SetupProfiling starts a CPU profile into path and returns the func that
// stops it. It always returns a callable func: a no-op when path is empty
// or the profile cannot be started.
func SetupProfiling(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		log.Printf("cpuprofile: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Printf("cpuprofile: %v", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("cpuprofile: close: %v", err)
		}
	}
}
