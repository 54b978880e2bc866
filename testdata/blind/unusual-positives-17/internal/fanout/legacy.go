//go:build go1.21

package fanout

import (
	"log"
	"sync"
)

// This file keeps the notification fan-out that older deployments still
// build with; its build constraint pins the file's language version.

// Subscriber receives pipeline events.
type Subscriber interface {
	Notify(event string) error
}

// NotifyAll delivers event to every subscriber concurrently and reports how
// many deliveries failed.
func NotifyAll(subs []Subscriber, event string) int {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed int
	)
	dispatched := 0
	for _, s := range subs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := s.Notify(event); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}()
		dispatched++
	}
	wg.Wait()
	log.Printf("fanout: %s delivered to %d subscribers, %d failed", event, dispatched, failed)
	return failed
}

// Broadcast is NotifyAll with the subscriber passed to the goroutine as an
// argument, which is safe under any language version.
func Broadcast(subs []Subscriber, event string) []error {
	errs := make([]error, len(subs))
	var wg sync.WaitGroup
	for i, s := range subs {
		wg.Add(1)
		go func(i int, s Subscriber) {
			defer wg.Done()
			errs[i] = s.Notify(event)
		}(i, s)
	}
	wg.Wait()
	return errs
}

// BroadcastCopy shadows the loop variables with per-iteration copies.
func BroadcastCopy(subs []Subscriber, event string) []error {
	errs := make([]error, len(subs))
	var wg sync.WaitGroup
	for i, s := range subs {
		i, s := i, s
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Notify(event)
		}()
	}
	wg.Wait()
	return errs
}
