package cliutil

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// StartCPUProfile starts CPU profiling into path. The returned stop func
// ends the profile and reports any error from closing the file, which is
// where a full disk shows up.
func StartCPUProfile(path string) (stop func() error, err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// WriteHeapProfile writes a heap profile to path after a GC.
func WriteHeapProfile(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error reaches the caller
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}

// Profiles bundles the optional -cpuprofile and -memprofile flags.
type Profiles struct {
	CPU string
	Mem string
}

// Start begins the requested profiles. The returned func is never nil, so
// callers can always defer it.
func (p Profiles) Start() (stop func() error, err error) {
	stopCPU := func() error { return nil }
	if p.CPU != "" {
		if stopCPU, err = StartCPUProfile(p.CPU); err != nil {
			return nil, err
		}
	}
	return func() error {
		err := stopCPU()
		if p.Mem != "" {
			err = errors.Join(err, WriteHeapProfile(p.Mem))
		}
		return err
	}, nil
}
