package cmdqueue

import (
	"context"
	"errors"
	"log"
	"sort"
	"sync"
	"time"
)

// ErrCanceled is the result of a command canceled by an operator.
var ErrCanceled = errors.New("cmdqueue: canceled by operator")

// Cancel fails a pending command with ErrCanceled.
func (q *Queue) Cancel(id uint32) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	p, ok := q.pending[id]
	if !ok {
		return false
	}
	q.forget(id) // HAZ lock-reentry-under-defer
	p.done <- Result{CommandID: id, DeviceID: p.device, Err: ErrCanceled}
	return true
}

// CancelDevice fails every pending command of a device, for example when
// the device is decommissioned.
func (q *Queue) CancelDevice(deviceID string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for id, p := range q.pending {
		if p.device != deviceID {
			continue
		}
		delete(q.pending, id)
		p.done <- Result{CommandID: id, DeviceID: deviceID, Err: ErrCanceled}
		n++
	}
	return n
}

// PendingInfo describes one pending command.
type PendingInfo struct {
	ID       uint32 `json:"id"`
	DeviceID string `json:"device_id"`
	Name     string `json:"name"`
	AgeMS    int64  `json:"age_ms"`
}

// List describes the pending commands, oldest first.
func (q *Queue) List() []PendingInfo {
	q.mu.Lock()
	out := make([]PendingInfo, 0, len(q.pending))
	for id, p := range q.pending {
		out = append(out, PendingInfo{ID: id, DeviceID: p.device, Name: p.cmd.Name, AgeMS: p.ageMS()})
	}
	q.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].AgeMS > out[j].AgeMS })
	return out
}

// Stats summarises the queue for logs.
type Stats struct {
	Pending int
	Oldest  time.Duration
	Closed  bool
}

// Stats returns the queue's current statistics.
func (q *Queue) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	st := Stats{Pending: len(q.pending), Closed: q.closed}
	for _, p := range q.pending {
		if age := time.Since(p.issued); age > st.Oldest {
			st.Oldest = age
		}
	}
	return st
}

// Log writes the statistics to logger.
func (s Stats) Log(logger *log.Logger) {
	logger.Printf("cmdqueue: %d pending (oldest %v), closed=%v", s.Pending, s.Oldest.Round(time.Millisecond), s.Closed)
}

// DrainAndClose waits for the pending commands to complete, at most until
// ctx is done, closes the queue and logs what was left.
func (q *Queue) DrainAndClose(ctx context.Context, logger *log.Logger) error {
	defer q.Stats().Log(logger) // HAZ defer-call-chain
	for q.Pending() > 0 {
		select {
		case <-ctx.Done():
			q.Close()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	q.Close()
	return nil
}

// Stream submits the command to every device and sends each result to out
// as it arrives, until ctx is done; out is closed when Stream returns.
func (q *Queue) Stream(ctx context.Context, deviceIDs []string, name string, out chan<- Result) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, id := range deviceIDs {
		go func(id string) {
			res, err := q.Submit(ctx, id, name, nil)
			if err != nil && res.Err == nil {
				res.DeviceID, res.Err = id, err
			}
			out <- res
		}(id)
	}
	<-ctx.Done()
}

// StreamAll is Stream for callers that read everything: it returns, and
// closes out, only after every submission has delivered its result.
func (q *Queue) StreamAll(ctx context.Context, deviceIDs []string, name string, out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for _, id := range deviceIDs {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			res, err := q.Submit(ctx, id, name, nil)
			if err != nil && res.Err == nil {
				res.DeviceID, res.Err = id, err
			}
			out <- res
		}(id)
	}
	wg.Wait()
}
