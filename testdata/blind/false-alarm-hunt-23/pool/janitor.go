package pool

import (
	"context"
	"time"
)

// StartJanitor closes idle connections older than MaxIdleTime and health
// checks the rest every interval until ctx ends. The returned stop function
// cancels the janitor and waits for it to exit.
func (p *Pool) StartJanitor(ctx context.Context, every, pingTimeout time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				if n := p.reapIdle(now); n > 0 {
					p.logf("pool: closed %d expired idle connections", n)
				}
				if n := p.pingIdle(ctx, pingTimeout); n > 0 {
					p.logf("pool: closed %d unhealthy idle connections", n)
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// reapIdle closes idle connections that have been idle too long. The list is
// filtered under the lock; the connections are closed after releasing it.
func (p *Pool) reapIdle(now time.Time) int {
	p.mu.Lock()
	var stale []*idleConn
	kept := p.idle[:0]
	for _, ic := range p.idle {
		if p.maxIdleTime > 0 && now.Sub(ic.since) > p.maxIdleTime {
			stale = append(stale, ic)
			continue
		}
		kept = append(kept, ic)
	}
	p.idle = kept
	p.numOpen -= len(stale)
	p.mu.Unlock()
	for _, ic := range stale {
		p.closeQuietly(ic)
	}
	return len(stale)
}
