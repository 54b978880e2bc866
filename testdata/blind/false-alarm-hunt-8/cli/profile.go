package cli

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startCPUProfile starts CPU profiling into path and returns the func that
// stops it and closes the file, reporting a close error on stderr.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "cpuprofile: %v\n", err)
		}
	}, nil
}

// acquireLockFile creates path exclusively and writes the pid into it. The
// returned func removes the file.
func acquireLockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return nil, werr
	}
	return func() { os.Remove(path) }, nil
}

// reportStatus prints the outcome of a command on stderr.
func reportStatus(env *Env, cmd string, err error) {
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: failed: %v\n", cmd, err)
		return
	}
	fmt.Fprintf(env.Stderr, "%s: ok\n", cmd)
}
