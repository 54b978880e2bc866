// Package signals relays signals received by a shim to the container's
// init process.
package signals

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Forwardable are the signals a shim relays by default. SIGTERM and SIGINT
// are not among them: the shim handles those itself, stopping the
// container with a grace period and cleaning up its state.
var Forwardable = []os.Signal{
	syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH,
}

// Forwarder relays signals to one pid.
type Forwarder struct {
	pid  int
	ch   chan os.Signal
	done chan struct{}
	wg   sync.WaitGroup
	log  *log.Logger
}

// Start begins relaying sigs (Forwardable if none are given) to pid.
func Start(pid int, l *log.Logger, sigs ...os.Signal) *Forwarder {
	if len(sigs) == 0 {
		sigs = Forwardable
	}
	f := &Forwarder{pid: pid, ch: make(chan os.Signal, 16), done: make(chan struct{}), log: l}
	signal.Notify(f.ch, sigs...)
	f.wg.Add(1)
	go f.loop()
	return f
}

func (f *Forwarder) loop() {
	defer f.wg.Done()
	for {
		select {
		case <-f.done:
			return
		case sig := <-f.ch:
			s, ok := sig.(syscall.Signal)
			if !ok {
				continue
			}
			if err := syscall.Kill(f.pid, s); err != nil {
				if errors.Is(err, syscall.ESRCH) {
					return
				}
				f.log.Printf("forward %v to %d: %v", s, f.pid, err)
			}
		}
	}
}

// Stop ends the relaying and waits for the relay goroutine.
func (f *Forwarder) Stop() {
	signal.Stop(f.ch)
	close(f.done)
	f.wg.Wait()
}

// Broadcast sends sig to every pid in parallel and reports the failures.
// Processes that are already gone are not an error.
func Broadcast(pids []int, sig syscall.Signal) error {
	errs := make([]error, len(pids))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(pids); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := syscall.Kill(pids[i], sig); err != nil && !errors.Is(err, syscall.ESRCH) {
				errs[i] = fmt.Errorf("kill %d: %w", pids[i], err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Terminate sends SIGTERM to each pid, one goroutine per pid, and returns
// the pids that could not be signalled.
func Terminate(pids []int) []int {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []int
	)
	for _, pid := range pids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
				mu.Lock()
				failed = append(failed, pid)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed
}
