// Package crosspkg starts goroutines of another package of the module that send on its channels.
package crosspkg

import (
	"context"
	"errors"
	"net"
	"time"

	"example.com/blockedsend/probe"
)

var errQuota = errors.New("quota exceeded")

// probeOnce returns early on a quota error without receiving: probe.Check blocks on its send.
func probeOnce(ctx context.Context, d *net.Dialer, target string, quota func(string) error) (probe.Result, error) {
	ch := make(chan probe.Result) // want `probeOnce makes ch unbuffered, and the goroutine started on line \d+ sends its result on it \(in probe\.Check, package example\.com/blockedsend/probe\); the return on line \d+ leaves before receiving from ch`
	go probe.Check(ctx, d, target, ch)
	if err := quota(target); err != nil {
		return probe.Result{Target: target}, errQuota
	}
	return <-ch, nil
}

// CheckCtx gives up its send once ctx is done, and the timeout cancels it.
func probeBounded(ctx context.Context, d *net.Dialer, target string) (probe.Result, bool) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	ch := make(chan probe.Result)
	go probe.CheckCtx(ctx, d, target, ch)
	select {
	case r := <-ch:
		return r, true
	case <-ctx.Done():
		return probe.Result{Target: target}, false
	}
}

// One slot: the send completes whether or not anyone receives.
func probeBuffered(ctx context.Context, d *net.Dialer, target string, quota func(string) error) (probe.Result, error) {
	ch := make(chan probe.Result, 1)
	go probe.Check(ctx, d, target, ch)
	if err := quota(target); err != nil {
		return probe.Result{Target: target}, errQuota
	}
	return <-ch, nil
}
