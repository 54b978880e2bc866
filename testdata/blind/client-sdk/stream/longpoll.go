// Package stream implements long-polling watchers and chunked streaming readers.
package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Event is one change notification.
type Event struct {
	Seq  int64           `json:"seq"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// ErrTimeout is returned when a poll does not complete in time.
var ErrTimeout = errors.New("stream: poll timed out")

// Watcher long-polls a changes endpoint.
type Watcher struct {
	HC      *http.Client
	URL     string
	Retry   time.Duration
	Handler func(Event)

	mu   sync.Mutex
	last int64
}

func (w *Watcher) since() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// Last returns the sequence number of the last event seen.
func (w *Watcher) Last() int64 { return w.since() }

func (w *Watcher) advance(seq int64) {
	w.mu.Lock()
	if seq > w.last {
		w.last = seq
	}
	w.mu.Unlock()
}

func (w *Watcher) request(ctx context.Context, since int64) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, w.URL+"?wait=30s&since="+strconv.FormatInt(since, 10), nil)
}

func (w *Watcher) dispatch(body io.Reader) error {
	dec := json.NewDecoder(body)
	for {
		var ev Event
		if err := dec.Decode(&ev); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		w.advance(ev.Seq)
		if w.Handler != nil {
			w.Handler(ev)
		}
	}
}

// run polls forever. It is started by Start and never returns.
func (w *Watcher) run() {
	for {
		req, err := w.request(context.Background(), w.since())
		if err != nil {
			time.Sleep(w.Retry)
			continue
		}
		resp, err := w.HC.Do(req)
		if err != nil {
			time.Sleep(w.Retry)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		_ = w.dispatch(resp.Body)
	}
}

// Start runs the watcher in the background for the life of the process.
func (w *Watcher) Start() { go w.run() }

// pollOnce performs a single long poll.
func (w *Watcher) pollOnce(ctx context.Context) error {
	req, err := w.request(ctx, w.since())
	if err != nil {
		return err
	}
	resp, err := w.HC.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // ok: one body per call
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("stream: poll: %s", resp.Status)
	}
	return w.dispatch(resp.Body)
}

// Run polls until ctx is done.
func (w *Watcher) Run(ctx context.Context) error {
	for {
		if err := w.pollOnce(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t := time.NewTimer(w.Retry)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
}

// Resync polls and, if the server reports the cursor expired, restarts from zero.
func (w *Watcher) Resync(ctx context.Context) error {
	req, err := w.request(ctx, w.since())
	if err != nil {
		return err
	}
	resp, err := w.HC.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // HAZ defer-eager-evaluation
	if resp.StatusCode == http.StatusGone {
		w.mu.Lock()
		w.last = 0
		w.mu.Unlock()
		req, err = w.request(ctx, 0)
		if err != nil {
			return err
		}
		resp, err = w.HC.Do(req)
		if err != nil {
			return err
		}
	}
	return w.dispatch(resp.Body)
}

// ResyncClosed closes whichever response is current at exit.
func (w *Watcher) ResyncClosed(ctx context.Context) error {
	req, err := w.request(ctx, w.since())
	if err != nil {
		return err
	}
	resp, err := w.HC.Do(req)
	if err != nil {
		return err
	}
	defer func() { resp.Body.Close() }() // ok: reads resp at exit
	if resp.StatusCode == http.StatusGone {
		resp.Body.Close()
		req, err = w.request(ctx, 0)
		if err != nil {
			return err
		}
		next, err := w.HC.Do(req)
		if err != nil {
			return err
		}
		resp = next
	}
	return w.dispatch(resp.Body)
}

func (w *Watcher) fetchEvents(ctx context.Context) ([]Event, error) {
	var out []Event
	req, err := w.request(ctx, w.since())
	if err != nil {
		return nil, err
	}
	resp, err := w.HC.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&out)
	return out, err
}

type eventsResult struct {
	events []Event
	err    error
}

// PollTimeout performs one poll but gives up after d.
func (w *Watcher) PollTimeout(d time.Duration) ([]Event, error) {
	ch := make(chan eventsResult)
	go func() { // HAZ goroutine-blocked-send
		evs, err := w.fetchEvents(context.Background())
		ch <- eventsResult{evs, err}
	}()
	select {
	case r := <-ch:
		return r.events, r.err
	case <-time.After(d):
		return nil, ErrTimeout
	}
}

// PollContext performs one poll bounded by ctx; the sender never outlives a select.
func (w *Watcher) PollContext(ctx context.Context) ([]Event, error) {
	ch := make(chan eventsResult)
	go func() {
		evs, err := w.fetchEvents(ctx)
		select {
		case ch <- eventsResult{evs, err}: // ok: sender also watches ctx
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r.events, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
