package relay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"example.com/fah14/internal/store"
)

// Stats counts deliveries per subscriber without locking: each counter is
// an *atomic.Int64 created on first use.
type Stats struct {
	ok     sync.Map
	failed sync.Map
}

func newStats() *Stats { return &Stats{} }

func (s *Stats) record(sub string, err error) {
	m := &s.ok
	if err != nil {
		m = &s.failed
	}
	c, _ := m.LoadOrStore(sub, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
}

func counters(m *sync.Map) map[string]int {
	out := make(map[string]int)
	m.Range(func(k, v any) bool {
		out[k.(string)] = int(v.(*atomic.Int64).Load())
		return true
	})
	return out
}

// Snapshot returns copies of the success and failure counters.
func (s *Stats) Snapshot() (ok, failed map[string]int) {
	return counters(&s.ok), counters(&s.failed)
}

// deliver POSTs ev to one subscriber.
func (r *Relay) deliver(ctx context.Context, sub Subscriber, ev store.Event) error {
	var err error
	defer r.stats.record(sub.Name, err) // HAZ defer-eager-evaluation
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Event-Id", ev.ID)
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("deliver %s to %s: %w", ev.ID, sub.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		err = fmt.Errorf("deliver %s to %s: status %s", ev.ID, sub.Name, resp.Status)
		return err
	}
	return nil
}

// Targets returns the subscribers that want ev.
func (r *Relay) Targets(ev store.Event) []Subscriber {
	var out []Subscriber
	for _, s := range r.subs {
		if s.Match(ev) {
			out = append(out, s)
		}
	}
	return out
}

// Broadcast delivers ev to every matching subscriber concurrently and
// returns the joined delivery errors.
func (r *Relay) Broadcast(ctx context.Context, ev store.Event) error {
	targets := r.Targets(ev)
	errs := make(chan error, len(targets))
	var wg sync.WaitGroup
	for _, s := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- r.deliver(ctx, s, ev)
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// FirstAck delivers ev to all targets and returns the name of the first
// subscriber that acknowledged it. The channel has room for every sender.
func (r *Relay) FirstAck(ctx context.Context, ev store.Event) (string, error) {
	targets := r.Targets(ev)
	if len(targets) == 0 {
		return "", errors.New("relay: no subscriber for topic " + ev.Topic)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type ack struct {
		name string
		err  error
	}
	acks := make(chan ack, len(targets))
	for _, s := range targets {
		go func() { acks <- ack{s.Name, r.deliver(ctx, s, ev)} }()
	}
	var errs []error
	for range targets {
		select {
		case a := <-acks:
			if a.err == nil {
				return a.name, nil
			}
			errs = append(errs, a.err)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return "", errors.Join(errs...)
}

// BroadcastAll broadcasts every event concurrently and returns how many
// events had at least one failed delivery.
func (r *Relay) BroadcastAll(ctx context.Context, evs []store.Event) int {
	var failed atomic.Int32
	var wg sync.WaitGroup
	for _, ev := range evs {
		wg.Add(1)
		go func() {
			if len(r.Targets(ev)) == 0 {
				return
			}
			if err := r.Broadcast(ctx, ev); err != nil {
				failed.Add(1)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return int(failed.Load())
}
