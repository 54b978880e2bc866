package detector

import (
	"context"
	"errors"
	"net"
	"sort"
	"sync"
	"time"
)

// ErrProbeTimeout is returned when a probe gets no answer in time.
var ErrProbeTimeout = errors.New("detector: probe timed out")

// Prober pings peers, directly or through a helper peer.
type Prober interface {
	Ping(ctx context.Context, addr string) (time.Duration, error)
	PingVia(ctx context.Context, helper, target string) error
}

type probeResult struct {
	rtt time.Duration
	err error
}

// ProbeOnce pings addr and gives up after timeout.
func ProbeOnce(p Prober, addr string, timeout time.Duration) (time.Duration, error) {
	ch := make(chan probeResult)
	go func() {
		rtt, err := p.Ping(context.Background(), addr)
		ch <- probeResult{rtt, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.rtt, r.err
	case <-time.After(timeout):
		return 0, ErrProbeTimeout
	}
}

// ProbeCtx pings addr until ctx is done.
func ProbeCtx(ctx context.Context, p Prober, addr string) (time.Duration, error) {
	ch := make(chan probeResult, 1)
	go func() {
		rtt, err := p.Ping(ctx, addr)
		ch <- probeResult{rtt, err}
	}()
	select {
	case r := <-ch:
		return r.rtt, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// IndirectProbe asks every helper to ping target on our behalf and reports
// whether any of them got an answer before ctx is done.
func IndirectProbe(ctx context.Context, p Prober, helpers []string, target string) bool {
	if len(helpers) == 0 {
		return false
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	acks := make(chan bool, len(helpers))
	for _, h := range helpers {
		go func(helper string) {
			acks <- p.PingVia(ctx, helper, target) == nil
		}(h)
	}
	for range helpers {
		select {
		case ok := <-acks:
			if ok {
				return true
			}
		case <-ctx.Done():
			return false
		}
	}
	return false
}

// ProbeAny pings the candidates one after the other and returns the first
// that answers.
func ProbeAny(ctx context.Context, p Prober, addrs []string, each time.Duration) (string, error) {
	for _, addr := range addrs {
		if err := func() error {
			pctx, cancel := context.WithTimeout(ctx, each)
			defer cancel()
			_, err := p.Ping(pctx, addr)
			return err
		}(); err == nil {
			return addr, nil
		}
	}
	return "", ErrProbeTimeout
}

// ProbeMany pings every address concurrently and returns each outcome.
func ProbeMany(ctx context.Context, p Prober, addrs []string) map[string]error {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = make(map[string]error, len(addrs))
	)
	for _, a := range addrs {
		wg.Add(1)
		go func(addr string) {
			if _, _, err := net.SplitHostPort(addr); err != nil {
				mu.Lock()
				out[addr] = err
				mu.Unlock()
				return
			}
			_, err := p.Ping(ctx, addr)
			mu.Lock()
			out[addr] = err
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}(a)
	}
	wg.Wait()
	return out
}

// ProbeTargets pings every target (id -> address) and returns the ids that
// did not answer, sorted.
func ProbeTargets(ctx context.Context, p Prober, targets map[string]string) []string {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		down    []string
		started int
	)
	for id, addr := range targets {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := p.Ping(ctx, addr); err != nil {
				mu.Lock()
				down = append(down, id)
				mu.Unlock()
			}
		}()
		started++
	}
	wg.Wait()
	if started == 0 {
		return nil
	}
	sort.Strings(down)
	return down
}

// ProbeEach is ProbeTargets with every goroutine given its own copy of the
// target.
func ProbeEach(ctx context.Context, p Prober, targets map[string]string) []string {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		down []string
	)
	for id, addr := range targets {
		id, addr := id, addr
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.Ping(ctx, addr); err != nil {
				mu.Lock()
				down = append(down, id)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(down)
	return down
}
