package usage

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Shipper collects events from the request path and ships them in batches.
type Shipper struct {
	in       chan Event
	sinks    []Sink
	maxBatch int
	interval time.Duration

	mu      sync.Mutex
	pending []Event
	seq     uint64

	dropped atomic.Int64
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// NewShipper returns a shipper; call Start before publishing.
func NewShipper(sinks []Sink, maxBatch int, interval time.Duration) *Shipper {
	return &Shipper{
		in:       make(chan Event, 4*maxBatch),
		sinks:    sinks,
		maxBatch: maxBatch,
		interval: interval,
	}
}

// Publish enqueues ev without blocking the request path; when the queue is
// full the event is counted as dropped.
func (s *Shipper) Publish(ev Event) {
	select {
	case s.in <- ev:
	default:
		s.dropped.Add(1)
	}
}

// Dropped returns the number of events dropped so far.
func (s *Shipper) Dropped() int64 { return s.dropped.Load() }

// Start launches the background loop.
func (s *Shipper) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.loop(ctx)
	}()
}

// Close stops the loop and waits for the final flush.
func (s *Shipper) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

func (s *Shipper) loop(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case ev := <-s.in:
			if s.add(ev) >= s.maxBatch {
				s.flush(ctx)
			}
		case <-t.C:
			s.flush(ctx)
		case <-ctx.Done():
			s.drain()
			final, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			s.flush(final)
			cancel()
			return
		}
	}
}

// drain moves whatever is queued into the pending batch.
func (s *Shipper) drain() {
	for {
		select {
		case ev := <-s.in:
			s.add(ev)
		default:
			return
		}
	}
}

func (s *Shipper) add(ev Event) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = append(s.pending, ev)
	return len(s.pending)
}

// takeBatch removes the pending events as a numbered batch.
func (s *Shipper) takeBatch() (Batch, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return Batch{}, false
	}
	s.seq++
	b := Batch{Seq: s.seq, Events: s.pending}
	s.pending = nil
	return b, true
}

func (s *Shipper) flush(ctx context.Context) {
	if b, ok := s.takeBatch(); ok {
		s.flushBatch(ctx, b)
	}
}

// FlushAsync ships the pending events in the background; it is called from
// the admin API and must never take the admin server down.
func (s *Shipper) FlushAsync(ctx context.Context) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("usage: flush panicked: %v", v)
		}
	}()
	b, ok := s.takeBatch()
	if !ok {
		return
	}
	go func() { // HAZ goroutine-outside-recover
		for i, err := range s.shipAll(ctx, b) {
			if err != nil {
				log.Printf("usage: async batch %d to sink %d: %v", b.Seq, i, err)
			}
		}
	}()
}

// FlushSync ships the pending events and reports the shipped sequence number
// on ack when done.
func (s *Shipper) FlushSync(ctx context.Context, ack chan<- uint64) {
	var seq uint64
	defer func() { ack <- seq }() // HAZ defer-blocking-call
	b, ok := s.takeBatch()
	if !ok {
		return
	}
	seq = b.Seq
	s.flushBatch(ctx, b)
}

func (s *Shipper) flushBatch(ctx context.Context, b Batch) {
	for i, err := range s.shipAll(ctx, b) {
		if err != nil {
			log.Printf("usage: batch %d to sink %d: %v", b.Seq, i, err)
		}
	}
}

// shipAll sends b to every sink in parallel and returns one error per sink.
func (s *Shipper) shipAll(ctx context.Context, b Batch) []error {
	errs := make([]error, len(s.sinks))
	var wg sync.WaitGroup
	for i, sink := range s.sinks {
		wg.Add(1)
		go func(i int, sink Sink) {
			if err := safeSend(ctx, sink, b); err != nil {
				errs[i] = err
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}(i, sink)
	}
	wg.Wait()
	return errs
}

// safeSend converts a panicking sink into an error.
func safeSend(ctx context.Context, sink Sink, b Batch) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("sink panicked: %v", v)
		}
	}()
	return sink.Send(ctx, b)
}

// deliverBestEffort is used for the secondary (analytics) sinks, whose
// failures must never disturb billing.
func deliverBestEffort(ctx context.Context, sink Sink, b Batch) error {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	return sink.Send(ctx, b)
}

// panicToError converts a pending panic into an error.
func panicToError() error {
	if v := recover(); v != nil { // HAZ recover-ineffective
		return fmt.Errorf("sink panicked: %v", v)
	}
	return nil
}

// sendChecked sends b and reports a sink panic as an error.
func sendChecked(ctx context.Context, sink Sink, b Batch) error {
	err := sink.Send(ctx, b)
	if perr := panicToError(); perr != nil {
		return perr
	}
	return err
}

// ShipPrimary sends b to the first sink only; used by the replay tool.
func (s *Shipper) ShipPrimary(ctx context.Context, b Batch) error {
	if len(s.sinks) == 0 {
		return nil
	}
	return sendChecked(ctx, s.sinks[0], b)
}

func logResult(seq uint64, err error) {
	if err != nil {
		log.Printf("usage: batch %d failed: %v", seq, err)
		return
	}
	log.Printf("usage: batch %d shipped", seq)
}

// ShipLogged sends b to every sink in turn and logs the outcome.
func (s *Shipper) ShipLogged(ctx context.Context, b Batch) error {
	var err error
	defer logResult(b.Seq, err) // HAZ defer-eager-evaluation
	for _, sink := range s.sinks {
		if err = safeSend(ctx, sink, b); err != nil {
			return err
		}
	}
	return nil
}

// Mirror sends b to the analytics sinks one after the other.
func Mirror(ctx context.Context, sinks []Sink, b Batch) int {
	ok := 0
	for _, sink := range sinks {
		if err := deliverBestEffort(ctx, sink, b); err != nil {
			log.Printf("usage mirror: %v", err)
			continue
		}
		ok++
	}
	return ok
}

// Replay re-sends spooled batches to sink in parallel and
// returns how many were accepted.
func Replay(ctx context.Context, sink Sink, batches []Batch) int {
	var wg sync.WaitGroup
	var accepted atomic.Int64
	for _, b := range batches {
		wg.Add(1)
		go func(b Batch) {
			defer wg.Done()
			if err := safeSend(ctx, sink, b); err != nil {
				log.Printf("replay batch %d: %v", b.Seq, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			accepted.Add(1)
		}(b)
	}
	wg.Wait()
	return int(accepted.Load())
}

// ReplayOrdered re-sends batches one at a time, stopping at the first error.
func ReplayOrdered(ctx context.Context, sink Sink, batches []Batch) (int, error) {
	for i, b := range batches {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		if err := safeSend(ctx, sink, b); err != nil {
			return i, fmt.Errorf("batch %d: %w", b.Seq, err)
		}
	}
	return len(batches), nil
}
