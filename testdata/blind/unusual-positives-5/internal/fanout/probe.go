package fanout

import (
	"context"
	"sync"
	"time"
)

// Prober pings hosts and records which answered.
type Prober struct {
	ping    func(ctx context.Context, host string) error
	timeout time.Duration
}

// NewProber returns a prober using ping with a per-host timeout.
func NewProber(ping func(context.Context, string) error, timeout time.Duration) *Prober {
	return &Prober{ping: ping, timeout: timeout}
}

func (p *Prober) one(host string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
	defer cancel()
	return p.ping(ctx, host) == nil
}

// Probe pings up to limit hosts and returns how many it tried and which were up.
func (p *Prober) Probe(hosts []string, limit int) (tried int, up []string) {
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		i  int
	)
	for i = 0; i < len(hosts) && i < limit; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if p.one(hosts[i]) {
				mu.Lock()
				up = append(up, hosts[i])
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return i, up
}

// ProbeAll pings every host; the loop declares i, so each iteration has its
// own copy under Go 1.22 semantics.
func (p *Prober) ProbeAll(hosts []string) []bool {
	up := make([]bool, len(hosts))
	var wg sync.WaitGroup
	for i := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			up[i] = p.one(hosts[i])
		}()
	}
	wg.Wait()
	return up
}

// ProbeRounds pings every host rounds times, sequentially per round.
func (p *Prober) ProbeRounds(hosts []string, rounds int) map[string]int {
	score := make(map[string]int, len(hosts))
	var mu sync.Mutex
	for r := 0; r < rounds; r++ {
		var wg sync.WaitGroup
		for _, h := range hosts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if p.one(h) {
					mu.Lock()
					score[h] += r + 1
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	return score
}
