//go:build go1.22

// This file uses Go 1.22 per-iteration loop variables; the build constraint
// raises its language version above the module's go 1.21.

package proxy

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"example.com/tcpproxylb/internal/backend"
)

// PrewarmPools fills every backend's connection pool before traffic is let
// in. Under Go 1.22 each iteration has its own name and p.
func (s *Server) PrewarmPools(ctx context.Context, pools map[string]*backend.ConnPool, n int) {
	var wg sync.WaitGroup
	for name, p := range pools {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.logPanic("prewarm " + name)
			if err := p.Prewarm(ctx, n); err != nil {
				s.logf("prewarm %s: %v", name, err)
			}
		}()
	}
	wg.Wait()
}

// ProbeShards checks each shard address concurrently; i is declared by the
// loop, so every goroutine sees its own value.
func (s *Server) ProbeShards(ctx context.Context, shards []string) []error {
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i := 0; i < len(shards); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.dialer.Dial(ctx, shards[i])
			if err == nil {
				err = c.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	return errs
}

// DialHedged starts a dial to the next replica every hedge interval until
// one connects. started counts the dials in flight so that the losers can be
// reaped; the loop variable is declared outside the loop for that reason.
func (s *Server) DialHedged(ctx context.Context, replicas []string, hedge time.Duration) (net.Conn, error) {
	results := make(chan dialResult, len(replicas))
	var errs []error
	var started int
	for started = 0; started < len(replicas); started++ {
		go func() { // HAZ loop-var-capture
			c, err := s.dialer.Dial(ctx, replicas[started])
			results <- dialResult{c, err}
		}()
		select {
		case r := <-results:
			if r.err == nil {
				go closeLosers(results, started-len(errs))
				return r.conn, nil
			}
			errs = append(errs, r.err)
		case <-time.After(hedge):
		}
	}
	for len(errs) < started {
		r := <-results
		if r.err == nil {
			go closeLosers(results, started-len(errs)-1)
			return r.conn, nil
		}
		errs = append(errs, r.err)
	}
	return nil, errors.Join(errs...)
}
