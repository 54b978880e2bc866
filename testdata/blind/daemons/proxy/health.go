package proxy

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// checkBackend dials addr and closes the connection straight away.
func checkBackend(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}

// checkAll probes every backend concurrently.
func (p *Proxy) checkAll(ctx context.Context) map[string]error {
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		results = make(map[string]error, len(p.Backends))
	)
	for _, b := range p.Backends {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, p.DialTimeout)
			defer cancel()
			err := checkBackend(cctx, b.Addr)
			mu.Lock()
			results[b.Addr] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return results
}

// applyHealth records one round of health checks on every backend.
func (p *Proxy) applyHealth(results map[string]error, now time.Time) {
	for _, b := range p.Backends {
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		err, ok := results[b.Addr]
		if !ok {
			continue
		}
		b.lastCheck = now
		if err != nil {
			b.fails++
			b.healthy = b.fails < 3
			continue
		}
		b.fails = 0
		b.healthy = true
	}
}

// RunHealthChecks probes the backends on every tick until ctx is done.
func (p *Proxy) RunHealthChecks(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		p.applyHealth(p.checkAll(ctx), time.Now())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkAny succeeds as soon as one backend accepts a connection.
func (p *Proxy) checkAny(ctx context.Context) error {
	for _, b := range p.Backends {
		if err := checkBackend(ctx, b.Addr); err == nil {
			return nil
		}
	}
	return errors.New("no backend reachable")
}

// healthz reports whether at least one backend answers within a second.
func (p *Proxy) healthz(w http.ResponseWriter, r *http.Request) {
	ch := make(chan error)
	go func() { // HAZ goroutine-blocked-send
		ch <- p.checkAny(r.Context())
	}()
	select {
	case err := <-ch:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	case <-time.After(time.Second):
		http.Error(w, "health check timed out", http.StatusServiceUnavailable)
	}
}

// readyz is healthz with a buffered result channel and a bounded context.
func (p *Proxy) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	ch := make(chan error, 1)
	go func() {
		ch <- p.checkAny(ctx) // ok: buffered, the goroutine never blocks
	}()
	select {
	case err := <-ch:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	case <-ctx.Done():
		http.Error(w, "readiness check timed out", http.StatusServiceUnavailable)
	}
}

// HealthHandler serves /healthz and /readyz.
func (p *Proxy) HealthHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", p.healthz)
	mux.HandleFunc("/readyz", p.readyz)
	return mux
}
