// Package probe checks that mirror hosts accept TCP connections.
package probe

import (
	"context"
	"log"
	"net"
	"sync"
	"time"
)

// Prober dials hosts with a per-dial timeout.
type Prober struct {
	dialer  net.Dialer
	timeout time.Duration
	log     *log.Logger
}

// New returns a prober.
func New(timeout time.Duration, l *log.Logger) *Prober {
	return &Prober{timeout: timeout, log: l}
}

func (p *Prober) dial(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	conn, err := p.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}

// Sweep dials every address concurrently; errs[i] belongs to addrs[i].
func (p *Prober) Sweep(ctx context.Context, addrs []string) []error {
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(addrs); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = p.dial(ctx, addrs[i])
		}()
	}
	p.log.Printf("sweep: started %d probes", i)
	wg.Wait()
	return errs
}

// SweepAll is Sweep with the index declared by the loop (per-iteration
// under go1.22).
func (p *Prober) SweepAll(ctx context.Context, addrs []string) []error {
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	for i, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.dial(ctx, addr)
		}()
	}
	wg.Wait()
	return errs
}

// SweepCounted keeps a counter declared outside the loop but hands each
// goroutine its own copy of the index.
func (p *Prober) SweepCounted(ctx context.Context, addrs []string) []error {
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(addrs); i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			errs[n] = p.dial(ctx, addrs[n])
		}(i)
	}
	p.log.Printf("sweep: started %d probes", i)
	wg.Wait()
	return errs
}
