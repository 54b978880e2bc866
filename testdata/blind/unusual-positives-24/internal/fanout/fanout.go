// Package fanout polls and replicates to many backends at once.
package fanout

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrTimeout is returned when a backend does not answer in time.
var ErrTimeout = errors.New("fanout: timed out")

// Sample is one reading from a source.
type Sample struct {
	Source string
	Value  float64
	At     time.Time
	Err    error
}

// Poller reads samples from one source.
type Poller struct {
	name  string
	fetch func(context.Context) (float64, error)
}

// NewPoller returns a poller named name that reads with fetch.
func NewPoller(name string, fetch func(context.Context) (float64, error)) *Poller {
	return &Poller{name: name, fetch: fetch}
}

// Fetch reads one sample.
func (p *Poller) Fetch(ctx context.Context) (Sample, error) {
	v, err := p.fetch(ctx)
	return Sample{Source: p.name, Value: v, At: time.Now(), Err: err}, err
}

// Poll reads one sample and sends it on out.
func (p *Poller) Poll(ctx context.Context, out chan<- Sample) {
	s, _ := p.Fetch(ctx)
	out <- s
}

// Stream sends a sample every interval until ctx ends. The goroutine that
// sends is the one that closes.
func (p *Poller) Stream(ctx context.Context, every time.Duration) <-chan Sample {
	out := make(chan Sample)
	go func() {
		defer close(out)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			s, _ := p.Fetch(ctx)
			select {
			case out <- s:
			case <-ctx.Done():
				return
			}
			select {
			case <-t.C:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Replica accepts pushed data.
type Replica struct {
	Addr string
	push func(context.Context, []byte) error
}

// NewReplica returns a replica at addr that receives data through push.
func NewReplica(addr string, push func(context.Context, []byte) error) *Replica {
	return &Replica{Addr: addr, push: push}
}

// Send pushes data and reports the outcome on acks.
func (r *Replica) Send(ctx context.Context, data []byte, acks chan<- error) {
	if err := r.push(ctx, data); err != nil {
		acks <- fmt.Errorf("replica %s: %w", r.Addr, err)
		return
	}
	acks <- nil
}

// Fanout groups pollers that are read together.
type Fanout struct {
	pollers []*Poller
	timeout time.Duration
}

// New returns a fanout over pollers.
func New(timeout time.Duration, pollers ...*Poller) *Fanout {
	return &Fanout{pollers: pollers, timeout: timeout}
}

// Gather polls every source and returns the samples that arrived before ctx
// ended.
func (f *Fanout) Gather(ctx context.Context) []Sample {
	out := make(chan Sample, len(f.pollers))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, p := range f.pollers {
		poll := p.Poll
		go poll(ctx, out)
	}
	samples := make([]Sample, 0, len(f.pollers))
	for range f.pollers {
		select {
		case s := <-out:
			samples = append(samples, s)
		case <-ctx.Done():
			return samples
		}
	}
	return samples
}

// GatherAll polls every source and waits for all of them before it returns.
func (f *Fanout) GatherAll(ctx context.Context) []Sample {
	out := make(chan Sample, len(f.pollers))
	defer close(out)
	var wg sync.WaitGroup
	for _, p := range f.pollers {
		wg.Add(1)
		poll := p.Poll
		go func() {
			defer wg.Done()
			poll(ctx, out)
		}()
	}
	wg.Wait()
	samples := make([]Sample, 0, len(f.pollers))
	for range f.pollers {
		samples = append(samples, <-out)
	}
	return samples
}

// Replicate pushes data to every replica and returns on the first failure.
func (f *Fanout) Replicate(ctx context.Context, data []byte, replicas []*Replica) error {
	acks := make(chan error, len(replicas))
	defer close(acks) // HAZ defer-close-chan-with-sender
	senders := make([]func(context.Context, []byte, chan<- error), 0, len(replicas))
	for _, r := range replicas {
		senders = append(senders, r.Send)
	}
	for _, send := range senders {
		go send(ctx, data, acks)
	}
	for range replicas {
		if err := <-acks; err != nil {
			return err
		}
	}
	return nil
}

// ReplicateAll pushes data to every replica and collects every outcome
// before it returns.
func (f *Fanout) ReplicateAll(ctx context.Context, data []byte, replicas []*Replica) error {
	acks := make(chan error)
	defer close(acks)
	for _, r := range replicas {
		send := r.Send
		go send(ctx, data, acks)
	}
	var errs []error
	for range replicas {
		if err := <-acks; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Latest reads one sample from p, giving up after the fanout's timeout.
func (f *Fanout) Latest(ctx context.Context, p *Poller) (Sample, error) {
	fetch := p.Fetch
	res := make(chan Sample)
	go func() {
		s, _ := fetch(ctx)
		res <- s // HAZ goroutine-blocked-send
	}()
	select {
	case s := <-res:
		return s, s.Err
	case <-time.After(f.timeout):
		return Sample{Source: p.name}, ErrTimeout
	}
}

// Quick is Latest with room in the channel for the late answer.
func (f *Fanout) Quick(ctx context.Context, p *Poller) (Sample, error) {
	fetch := p.Fetch
	res := make(chan Sample, 1)
	go func() {
		s, _ := fetch(ctx)
		res <- s
	}()
	select {
	case s := <-res:
		return s, s.Err
	case <-time.After(f.timeout):
		return Sample{Source: p.name}, ErrTimeout
	}
}

// Watch reads one sample from p; the sender gives up with ctx, which the
// caller cancels on timeout.
func (f *Fanout) Watch(ctx context.Context, p *Poller) (Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	fetch := p.Fetch
	res := make(chan Sample)
	go func() {
		s, _ := fetch(ctx)
		select {
		case res <- s:
		case <-ctx.Done():
		}
	}()
	select {
	case s := <-res:
		return s, s.Err
	case <-ctx.Done():
		return Sample{Source: p.name}, ErrTimeout
	}
}

// Compare returns a's reading minus b's.
func (f *Fanout) Compare(ctx context.Context, a, b *Poller) (float64, error) {
	ch := make(chan Sample)
	poll := a.Poll
	go poll(ctx, ch) // HAZ goroutine-blocked-send
	sb, err := b.Fetch(ctx)
	if err != nil {
		return 0, err
	}
	sa := <-ch
	if sa.Err != nil {
		return 0, sa.Err
	}
	return sa.Value - sb.Value, nil
}

// CompareBuffered is Compare with room for a's reading when b fails first.
func (f *Fanout) CompareBuffered(ctx context.Context, a, b *Poller) (float64, error) {
	ch := make(chan Sample, 1)
	poll := a.Poll
	go poll(ctx, ch)
	sb, err := b.Fetch(ctx)
	if err != nil {
		return 0, err
	}
	sa := <-ch
	if sa.Err != nil {
		return 0, sa.Err
	}
	return sa.Value - sb.Value, nil
}
