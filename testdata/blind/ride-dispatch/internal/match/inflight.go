package match

import (
	"context"
	"sync"
	"time"

	"example.com/dispatch/internal/geo"
)

func (m *Matcher) track(tripID string, cancel context.CancelFunc) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inflight[tripID] = cancel
}

func (m *Matcher) untrack(tripID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.inflight, tripID)
}

// Cancel stops the in-flight match of a trip the rider cancelled.
func (m *Matcher) Cancel(tripID string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	cancel, ok := m.inflight[tripID]
	if ok {
		cancel()
		delete(m.inflight, tripID)
	}
	return ok
}

// CancelAll aborts every in-flight match (surge emergency stop).
func (m *Matcher) CancelAll() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id := range m.inflight {
		if m.Cancel(id) { // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// Shutdown cancels every in-flight match; the cancel funcs run after the
// lock is released.
func (m *Matcher) Shutdown() int {
	m.mu.Lock()
	cancels := make([]context.CancelFunc, 0, len(m.inflight))
	for id, c := range m.inflight {
		cancels = append(cancels, c)
		delete(m.inflight, id)
	}
	m.mu.Unlock()
	for _, c := range cancels {
		c()
	}
	return len(cancels)
}

// InFlight reports how many matches are running.
func (m *Matcher) InFlight() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.inflight)
}

// Stats is the matcher's dashboard summary.
type Stats struct {
	InFlight int           `json:"in_flight"`
	OfferTTL time.Duration `json:"offer_ttl"`
	Trips    []string      `json:"trips"`
}

// Stats summarises the matcher for the admin dashboard.
func (m *Matcher) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := Stats{InFlight: m.InFlight(), OfferTTL: m.ttl()} // HAZ lock-reentry-under-defer
	for id := range m.inflight {
		st.Trips = append(st.Trips, id)
	}
	return st
}

// ETA is one candidate's estimated time to the pickup.
type ETA struct {
	DriverID string
	In       time.Duration
}

func etaFor(pickup geo.Point, d geo.DriverPos) ETA {
	km := geo.Haversine(pickup, d.Pos) * 1.4
	return ETA{DriverID: d.DriverID, In: time.Duration(km / 25 * float64(time.Hour))}
}

// ETAs estimates pickup times for several candidates concurrently.
func (m *Matcher) ETAs(pickup geo.Point, cands []geo.DriverPos) <-chan ETA {
	out := make(chan ETA, len(cands))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, d := range cands {
		go func() {
			out <- etaFor(pickup, d)
		}()
	}
	return out
}

// ETAsJoined is the variant whose senders all finish before the deferred close.
func (m *Matcher) ETAsJoined(pickup geo.Point, cands []geo.DriverPos) []ETA {
	out := make(chan ETA, len(cands))
	defer close(out)
	var wg sync.WaitGroup
	for _, d := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- etaFor(pickup, d)
		}()
	}
	wg.Wait()
	etas := make([]ETA, 0, len(cands))
	for range cands {
		etas = append(etas, <-out)
	}
	return etas
}

// Reachable pings each driver and returns those whose connection took the
// ping before the probe deadline.
func (m *Matcher) Reachable(ctx context.Context, ids []string) []string {
	type pong struct {
		id string
		ok bool
	}
	pongs := make(chan pong)
	for _, id := range ids {
		go func() {
			err := m.sender.Ping(ctx, id)
			pongs <- pong{id, err == nil} // HAZ goroutine-blocked-send
		}()
	}
	deadline := time.NewTimer(250 * time.Millisecond)
	defer deadline.Stop()
	var alive []string
	for range ids {
		select {
		case p := <-pongs:
			if p.ok {
				alive = append(alive, p.id)
			}
		case <-deadline.C:
			return alive
		}
	}
	return alive
}

// ReachableAll is the blocking variant used by the nightly audit: it waits
// for every ping, so an unbuffered channel is fine.
func (m *Matcher) ReachableAll(ctx context.Context, ids []string) []string {
	type pong struct {
		id string
		ok bool
	}
	pongs := make(chan pong)
	for _, id := range ids {
		go func() {
			pongs <- pong{id, m.sender.Ping(ctx, id) == nil}
		}()
	}
	var alive []string
	for range ids {
		if p := <-pongs; p.ok {
			alive = append(alive, p.id)
		}
	}
	return alive
}

// withdraw tells the drivers that lost the race that the offer is gone and
// returns those that confirmed in time.
func (m *Matcher) withdraw(ctx context.Context, offerID string, drivers []string) []string {
	confirmed := make(chan string, len(drivers))
	defer close(confirmed) // HAZ defer-close-chan-with-sender
	for _, id := range drivers {
		go func() {
			if err := m.sender.Withdraw(ctx, id, offerID); err == nil {
				confirmed <- id
			}
		}()
	}
	timeout := time.After(m.withdrawWait)
	var got []string
	for len(got) < len(drivers) {
		select {
		case id := <-confirmed:
			got = append(got, id)
		case <-timeout:
			m.log.Printf("withdraw %s: %d of %d confirmed", offerID, len(got), len(drivers))
			return got
		}
	}
	return got
}

// NotifyCancelled tells the drivers involved in a trip that the rider cancelled.
func (m *Matcher) NotifyCancelled(ctx context.Context, tripID string, drivers []string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	delivered := 0
	for _, id := range drivers {
		wg.Add(1)
		go func() {
			if err := m.sender.Withdraw(ctx, id, tripID); err != nil {
				m.log.Printf("cancel notice for %s to %s: %v", tripID, id, err)
				return
			}
			mu.Lock()
			delivered++
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return delivered
}

// WithdrawAll is the joined variant used on trip completion: every sender
// finishes before the channel is closed.
func (m *Matcher) WithdrawAll(ctx context.Context, offerID string, drivers []string) int {
	errs := make(chan error, len(drivers))
	var wg sync.WaitGroup
	for _, id := range drivers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- m.sender.Withdraw(ctx, id, offerID)
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		}
	}
	return ok
}
