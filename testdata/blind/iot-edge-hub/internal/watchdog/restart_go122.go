//go:build go1.22

// Bulk restarts rely on per-iteration loop variables, so this file is built
// with the Go 1.22 language version only.

package watchdog

import (
	"log"
	"sync"
	"time"
)

// RestartAll restarts the named targets concurrently and returns one error
// slot per name.
func (w *Watchdog) RestartAll(names []string) []error {
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.restartByName(name)
		}()
	}
	wg.Wait()
	return errs
}

// StaggeredRestart restarts the named targets gap apart, so that readers on
// a shared bus do not all reopen their ports at once.
func (w *Watchdog) StaggeredRestart(names []string, gap time.Duration) {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(names); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			time.Sleep(time.Duration(i) * gap)
			if err := w.restartByName(names[i]); err != nil {
				log.Printf("watchdog: %v", err)
			}
		}()
	}
	log.Printf("watchdog: scheduled %d staggered restarts", i)
	wg.Wait()
}

// RestartLater restarts each named target after its own delay.
func (w *Watchdog) RestartLater(delays map[string]time.Duration) []*time.Timer {
	timers := make([]*time.Timer, 0, len(delays))
	for name, d := range delays {
		timers = append(timers, time.AfterFunc(d, func() {
			if err := w.restartByName(name); err != nil {
				log.Printf("watchdog: %v", err)
			}
		}))
	}
	return timers
}
