package pool

import (
	"context"
	"time"
)

// reap closes idle connections that outlived IdleTimeout until ctx ends.
func (p *Pool) reap(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for _, c := range p.takeExpired(now) {
				_ = c.Conn.Close()
			}
		}
	}
}

// takeExpired removes expired idle connections under the lock and returns
// them, so the caller closes them without holding it.
func (p *Pool) takeExpired(now time.Time) []*Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	var expired []*Conn
	kept := p.idle[:0]
	for _, c := range p.idle {
		if c.expired(now, p.opts.IdleTimeout) {
			expired = append(expired, c)
			continue
		}
		kept = append(kept, c)
	}
	clear(p.idle[len(kept):])
	p.idle = kept
	p.open -= len(expired)
	return expired
}
