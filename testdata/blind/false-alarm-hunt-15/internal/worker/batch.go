package worker

import (
	"context"
	"sync"
	"time"
)

// Drain processes a batch concurrently and returns one error per job.
func (p *Pool) Drain(ctx context.Context, batch []Job) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(batch))
	for i, j := range batch {
		wg.Add(1)
		go func() {
			if len(j.Payload) == 0 {
				errs[i] = errEmpty
				return
			}
			errs[i] = p.handler(ctx, j)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// DrainChecked is Drain with the Done deferred.
func (p *Pool) DrainChecked(ctx context.Context, batch []Job) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(batch))
	for i, j := range batch {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if len(j.Payload) == 0 {
				errs[i] = errEmpty
				return
			}
			errs[i] = p.handler(ctx, j)
		}()
	}
	wg.Wait()
	return errs
}

// PollUntilIdle polls every queue until it reports no work.
func (p *Pool) PollUntilIdle(ctx context.Context, queues []string) {
	var wg sync.WaitGroup
	for _, q := range queues {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := p.poll(ctx, q)
				if err != nil {
					p.log.Error("poll failed", "queue", q, "err", err)
					wg.Done() // HAZ waitgroup-done-path
					return
				}
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Results runs the batch and returns every result on a closed, fully
// buffered channel.
func (p *Pool) Results(ctx context.Context, batch []Job) <-chan Result {
	out := make(chan Result, len(batch))
	defer close(out)
	var wg sync.WaitGroup
	for _, j := range batch {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- Result{ID: j.ID, Err: p.handler(ctx, j)}
		}()
	}
	wg.Wait()
	return out
}

// Submit starts every job and streams results on out.
func (p *Pool) Submit(ctx context.Context, batch []Job, out chan<- Result) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, j := range batch {
		if ctx.Err() != nil {
			return
		}
		go func() {
			out <- Result{ID: j.ID, Err: p.handler(ctx, j)}
		}()
	}
}

// Stream returns a channel of results produced by one goroutine that owns
// and closes it.
func (p *Pool) Stream(ctx context.Context, batch []Job) <-chan Result {
	out := make(chan Result)
	go func() {
		defer close(out)
		for _, j := range batch {
			r := Result{ID: j.ID, Err: p.handler(ctx, j)}
			select {
			case out <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// WarmShards preloads every shard concurrently and reports how many ran.
func (p *Pool) WarmShards(ctx context.Context, shards []string) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(shards); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_ = p.handler(ctx, Job{ID: "warm-" + shards[i], Queue: "warm"})
		}()
	}
	wg.Wait()
	return i
}

// WarmAll is WarmShards with a per-iteration loop variable.
func (p *Pool) WarmAll(ctx context.Context, shards []string) {
	var wg sync.WaitGroup
	for i := 0; i < len(shards); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = p.handler(ctx, Job{ID: "warm-" + shards[i], Queue: "warm"})
		}()
	}
	wg.Wait()
}

// FlushEvery pushes metrics on every tick, forever.
func (p *Pool) FlushEvery(every time.Duration, push func(context.Context) error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		<-t.C
		ctx, cancel := context.WithTimeout(context.Background(), every/2)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := push(ctx); err != nil {
			p.log.Error("metrics push failed", "err", err)
		}
	}
}

// FlushUntil pushes metrics on every tick until stop is closed.
func (p *Pool) FlushUntil(stop <-chan struct{}, every time.Duration, push func(context.Context) error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.pushOnce(every/2, push)
		}
	}
}

func (p *Pool) pushOnce(timeout time.Duration, push func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := push(ctx); err != nil {
		p.log.Error("metrics push failed", "err", err)
	}
}
