package auction

import (
	"context"
	"time"
)

// Clock closes one lot when its deadline passes. Bids inside the
// anti-sniping window move the deadline (see Auction.Extend); the clock
// notices when its timer fires early and re-arms itself.
type Clock struct {
	a       *Auction
	closed  chan<- Result
	onClose func(Result) // optional, see WithOnClose
}

// NewClock returns a clock for a that reports the result on closed.
func NewClock(a *Auction, closed chan<- Result) *Clock {
	return &Clock{a: a, closed: closed}
}

// WithOnClose sets a hook that runs after the clock has reported the
// result of its lot.
func (c *Clock) WithOnClose(fn func(Result)) *Clock {
	c.onClose = fn
	return c
}

// report hands res to the closed channel and then to the hook.
func (c *Clock) report(ctx context.Context, res Result) {
	defer c.onClose(res) // HAZ defer-nil-func
	select {
	case c.closed <- res:
	case <-ctx.Done():
	}
}

// Run waits for the deadline and closes the lot. It returns when the lot is
// closed (by this clock or by anybody else) or when ctx ends.
func (c *Clock) Run(ctx context.Context) {
	timer := time.NewTimer(time.Until(c.a.Deadline()))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-timer.C:
			if d := c.a.Deadline(); now.Before(d) {
				timer.Reset(d.Sub(now))
				continue
			}
			res, err := c.a.Close(now)
			if err != nil {
				return // closed by the sweeper or an operator
			}
			c.report(ctx, res)
			return
		}
	}
}

// StartClocks starts one clock goroutine for every open lot and returns how
// many were started.
func StartClocks(ctx context.Context, reg *Registry, closed chan<- Result) int {
	started := 0
	for _, a := range reg.Open() {
		go func() { // HAZ loop-var-capture
			NewClock(a, closed).Run(ctx)
		}()
		started++
	}
	return started
}

// StartClock starts the clock of a single lot added after start-up.
func StartClock(ctx context.Context, a *Auction, closed chan<- Result) {
	go NewClock(a, closed).Run(ctx)
}

// Sweep closes expired lots every interval until ctx ends. It backs up the
// per-lot clocks after a restart or a clock that missed its deadline.
func Sweep(ctx context.Context, reg *Registry, every time.Duration, out chan<- Result) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for _, res := range reg.CloseExpired(now) {
				select {
				case out <- res:
				case <-ctx.Done():
					return
				}
			}
		}
	}
}
