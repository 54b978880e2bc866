//go:build go1.21

// This file is shared verbatim with the crt-shim of the 1.x release line,
// which is still built with the go1.21 toolchain; the build line keeps it
// at that language version here too.

package signals

import (
	"errors"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// KillGroups sends sig to each process group in pgids concurrently and
// returns how many groups were signalled successfully.
func KillGroups(pgids []int, sig syscall.Signal, l *log.Logger) int {
	var wg sync.WaitGroup
	var failed atomic.Int32
	launched := 0
	for _, pgid := range pgids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := syscall.Kill(-pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
				l.Printf("kill group %d: %v", pgid, err)
				failed.Add(1)
			}
		}()
		launched++
	}
	wg.Wait()
	return launched - int(failed.Load())
}

// SignalEach signals pids concurrently, in bursts of at most 64, and
// returns the per-pid errors.
func SignalEach(pids []int, sig syscall.Signal) []error {
	errs := make([]error, len(pids))
	var wg sync.WaitGroup
	for i := range pids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = syscall.Kill(pids[i], sig)
		}()
		if (i+1)%64 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	wg.Wait()
	return errs
}

// SignalAll signals each process concurrently; the loop variables are
// handed to the goroutine as arguments.
func SignalAll(procs []*os.Process, sig os.Signal) []error {
	errs := make([]error, len(procs))
	var wg sync.WaitGroup
	for i, p := range procs {
		wg.Add(1)
		go func(i int, p *os.Process) {
			defer wg.Done()
			errs[i] = p.Signal(sig)
		}(i, p)
	}
	wg.Wait()
	return errs
}

// KillAll kills each process concurrently; the loop variable is copied
// before the goroutine captures it.
func KillAll(procs []*os.Process) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, p := range procs {
		p := p
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
