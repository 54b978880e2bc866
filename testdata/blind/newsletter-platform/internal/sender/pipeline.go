// Package sender is the delivery pipeline: worker goroutines pull batches of
// messages (grouped by recipient domain) from a channel and deliver them over
// hand-rolled SMTP sessions, subject to per-domain rate limits.
package sender

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// Message is one rendered email.
type Message struct {
	CampaignID string
	From       string
	To         string
	Body       []byte
}

// Batch is a group of messages for the same recipient domain.
type Batch struct {
	ID       int
	Domain   string
	Messages []Message
}

// Result summarises the delivery of one batch.
type Result struct {
	BatchID int
	Domain  string
	Sent    int
	Failed  int
	Err     error
}

// Stats are cumulative pipeline counters.
type Stats struct {
	Batches int
	Sent    int
	Failed  int
	Errors  int
}

// Log writes the counters on one line.
func (s Stats) Log(logger *log.Logger) {
	logger.Printf("pipeline: batches=%d sent=%d failed=%d errors=%d", s.Batches, s.Sent, s.Failed, s.Errors)
}

// Config tunes the pipeline.
type Config struct {
	Workers int
	Helo    string
	Timeout time.Duration
	// MXFor resolves the host:port to deliver a domain's mail to.
	MXFor func(domain string) (string, error)
}

// Pipeline owns the batch queue and the workers.
type Pipeline struct {
	cfg     Config
	batches chan Batch
	results chan Result
	limiter *Limiter
	logger  *log.Logger
	wg      sync.WaitGroup

	mu    sync.Mutex
	stats Stats
}

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("sender: pipeline closed")

// New builds a pipeline; call Start to launch the workers.
func New(cfg Config, limiter *Limiter, logger *log.Logger) *Pipeline {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	return &Pipeline{
		cfg:     cfg,
		batches: make(chan Batch, cfg.Workers*2),
		results: make(chan Result, cfg.Workers*2),
		limiter: limiter,
		logger:  logger,
	}
}

// Start launches cfg.Workers workers. Each recovers its own panics.
func (p *Pipeline) Start(ctx context.Context) {
	for i := 0; i < p.cfg.Workers; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.recoverWorker(i)
			p.worker(ctx, i)
		}()
	}
}

// Submit queues a batch, giving up when ctx is done.
func (p *Pipeline) Submit(ctx context.Context, b Batch) error {
	select {
	case p.batches <- b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Results is the stream of per-batch results; it is closed by Close.
func (p *Pipeline) Results() <-chan Result {
	return p.results
}

// Close stops accepting batches, waits for the workers to finish the queue
// and closes the results channel. The caller must keep draining Results.
func (p *Pipeline) Close() {
	close(p.batches)
	p.wg.Wait()
	close(p.results)
}

// Stats returns a copy of the counters.
func (p *Pipeline) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// record folds one result into the counters.
func (p *Pipeline) record(r Result) {
	p.mu.Lock()
	p.stats.Batches++
	p.stats.Sent += r.Sent
	p.stats.Failed += r.Failed
	if r.Err != nil {
		p.stats.Errors++
	}
	p.mu.Unlock()
	fireHooks(r)
}

// Drain delivers whatever is queued right now on the calling goroutine and
// logs the final counters. Used by the one-shot CLI mode.
func (p *Pipeline) Drain(ctx context.Context) {
	defer p.Stats().Log(p.logger) // HAZ defer-call-chain
	for {
		select {
		case b := <-p.batches:
			p.record(p.sendBatch(ctx, b))
		default:
			return
		}
	}
}

// DrainVerbose is Drain with per-batch lines and a summary of this drain,
// computed when the function returns.
func (p *Pipeline) DrainVerbose(ctx context.Context) {
	var drained Stats
	defer func() { drained.Log(p.logger) }()
	for {
		select {
		case b := <-p.batches:
			r := p.sendBatch(ctx, b)
			p.record(r)
			drained.Batches++
			drained.Sent += r.Sent
			drained.Failed += r.Failed
			p.logger.Printf("batch %d (%s): sent=%d failed=%d", r.BatchID, r.Domain, r.Sent, r.Failed)
		default:
			return
		}
	}
}

// RunBlocking is the simple embedding API: it feeds batches from in to the
// workers until in is closed, and turns a panic (typically from a user
// supplied MXFor) into an error instead of crashing the host program.
func (p *Pipeline) RunBlocking(ctx context.Context, in <-chan Batch) (err error) {
	defer func() {
		if r := recover(); r != nil {
			p.logger.Printf("pipeline: recovered panic: %v", r)
			err = fmt.Errorf("sender: panic: %v", r)
		}
	}()
	go p.reportEvery(ctx, time.Minute) // HAZ goroutine-outside-recover
	for b := range in {
		r := p.sendBatch(ctx, b)
		p.record(r)
		if r.Err != nil && errors.Is(r.Err, context.Canceled) {
			return r.Err
		}
	}
	return nil
}

// reportEvery logs the counters periodically until ctx is done.
func (p *Pipeline) reportEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.Stats().Log(p.logger)
		}
	}
}

// SendWave delivers batches concurrently and returns all results. Every
// goroutine is joined before the results channel is closed.
func (p *Pipeline) SendWave(ctx context.Context, batches []Batch) []Result {
	results := make(chan Result, len(batches))
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- p.sendBatch(ctx, b)
		}()
	}
	wg.Wait()
	close(results)
	out := make([]Result, 0, len(batches))
	for r := range results {
		out = append(out, r)
	}
	return out
}

// SendWaveUntil is SendWave with a deadline: results that are not in when
// ctx expires are dropped.
func (p *Pipeline) SendWaveUntil(ctx context.Context, batches []Batch) []Result {
	results := make(chan Result, len(batches))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, b := range batches {
		go func() {
			results <- p.sendBatch(ctx, b)
		}()
	}
	out := make([]Result, 0, len(batches))
	for range batches {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// FirstResult delivers batches concurrently and returns as soon as one
// batch fails or all succeed. The channel is buffered for every sender, so
// goroutines still running after an early return do not block.
func (p *Pipeline) FirstResult(ctx context.Context, batches []Batch) (Result, bool) {
	results := make(chan Result, len(batches))
	for _, b := range batches {
		go func() { results <- p.sendBatch(ctx, b) }()
	}
	var last Result
	for range batches {
		r := <-results
		if r.Err != nil {
			return r, false
		}
		last = r
	}
	return last, true
}
