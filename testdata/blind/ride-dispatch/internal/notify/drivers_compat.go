//go:build go1.21

// This file is shared verbatim with the legacy receipts service, which is
// still built with Go 1.21, so it keeps that constraint (and the pre-1.22
// loop variable semantics that come with it).

package notify

import (
	"context"
	"encoding/json"
	"sync"
)

// NotifyDrivers sends ev to each driver's personal hook (fleet-owner
// integrations) and returns the failures by driver ID.
func (n *Notifier) NotifyDrivers(ctx context.Context, hooks map[string]Hook, ev Event) map[string]error {
	body, err := json.Marshal(ev)
	if err != nil {
		return map[string]error{"*": err}
	}
	var mu sync.Mutex
	failed := make(map[string]error)
	var wg sync.WaitGroup
	for driverID, h := range hooks {
		wg.Add(1)
		go func() { defer wg.Done(); n.notifyOne(ctx, driverID, h, body, ev.Type, &mu, failed) }() // HAZ loop-var-capture
		n.log.Printf("notify: %s queued for driver %s", ev.Type, driverID)
	}
	wg.Wait()
	return failed
}

func (n *Notifier) notifyOne(ctx context.Context, driverID string, h Hook, body []byte, typ string, mu *sync.Mutex, failed map[string]error) {
	if err := n.deliver(ctx, job{hook: h, body: body, event: typ}); err != nil {
		mu.Lock()
		failed[driverID] = err
		mu.Unlock()
	}
}

// PublishEach delivers a batch of events to the first hook concurrently.
func (n *Notifier) PublishEach(ctx context.Context, evs []Event) int {
	if len(n.hooks) == 0 {
		return 0
	}
	var delivered int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < len(evs); i++ {
		wg.Add(1)
		go func() { defer wg.Done(); n.deliverOne(ctx, evs[i], &mu, &delivered) }() // HAZ loop-var-capture
		n.log.Printf("notify: %s for %s dispatched", evs[i].Type, evs[i].TripID)
	}
	wg.Wait()
	return int(delivered)
}

func (n *Notifier) deliverOne(ctx context.Context, ev Event, mu *sync.Mutex, delivered *int64) {
	body, err := json.Marshal(ev)
	if err != nil {
		return
	}
	if n.deliver(ctx, job{hook: n.hooks[0], body: body, event: ev.Type}) == nil {
		mu.Lock()
		*delivered++
		mu.Unlock()
	}
}

// PingAll pings every partner hook concurrently. The loop variable is passed
// as an argument, so each goroutine has its own copy even under Go 1.21.
func (n *Notifier) PingAll(ctx context.Context) map[string]error {
	var mu sync.Mutex
	out := make(map[string]error, len(n.hooks))
	var wg sync.WaitGroup
	for _, h := range n.hooks {
		wg.Add(1)
		go func(h Hook) {
			defer wg.Done()
			err := n.Ping(ctx, h)
			mu.Lock()
			out[h.Name] = err
			mu.Unlock()
		}(h)
		n.log.Printf("notify: pinging %s", h.Name)
	}
	wg.Wait()
	return out
}

// VerifyAll checks every partner's verification document; the loop variable
// is copied per iteration before the goroutine captures it.
func (n *Notifier) VerifyAll(ctx context.Context, clientID string) []error {
	errs := make([]error, len(n.hooks))
	var wg sync.WaitGroup
	for i := range n.hooks {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = n.Verify(ctx, n.hooks[i], clientID)
		}()
		n.log.Printf("notify: verifying %s", n.hooks[i].Name)
	}
	wg.Wait()
	return errs
}
