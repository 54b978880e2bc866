package gateway

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"example.com/rpcservices/health"
	"example.com/rpcservices/registry"
	"example.com/rpcservices/rpc"
)

const pickerTTL = 30 * time.Second

// pickerFor returns the balancer of service, resolving it on first use.
func (g *Gateway) pickerFor(ctx context.Context, service string) (*registry.RoundRobin, error) {
	g.mu.RLock()
	p, ok := g.pickers[service]
	g.mu.RUnlock()
	if ok {
		return p, nil
	}
	insts, err := g.resolver.Resolve(ctx, service)
	if err != nil {
		return nil, rpc.Errorf(rpc.Unavailable, "resolve %s: %v", service, err)
	}
	g.mu.Lock()
	if existing, ok := g.pickers[service]; ok {
		p = existing
	} else {
		p = registry.NewRoundRobin(insts)
		g.pickers[service] = p
		g.refreshed[service] = time.Now()
	}
	g.mu.Unlock()
	return p, nil
}

// claimRefresh reports whether the balancer of service is older than
// pickerTTL and, if so, marks it so that only one request refreshes it.
func (g *Gateway) claimRefresh(service string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	at, ok := g.refreshed[service]
	if !ok || time.Since(at) < pickerTTL {
		return false
	}
	g.refreshed[service] = time.Now()
	return true
}

// refreshPicker re-resolves service and updates its balancer.
func (g *Gateway) refreshPicker(service string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	g.resolver.Invalidate(service)
	insts, err := g.resolver.Resolve(ctx, service)
	if err != nil {
		g.log.Warn("refresh picker", "service", service, "err", err)
		return
	}
	g.mu.RLock()
	p := g.pickers[service]
	g.mu.RUnlock()
	p.Update(insts)
}

// clientFor picks an instance of service and returns its cached client.
func (g *Gateway) clientFor(ctx context.Context, service string) (*rpc.Client, error) {
	picker, err := g.pickerFor(ctx, service)
	if err != nil {
		return nil, err
	}
	inst, done, err := picker.Pick(ctx)
	if err != nil {
		return nil, rpc.Errorf(rpc.Unavailable, "%s: %v", service, err)
	}
	done(nil)
	g.mu.Lock() // HAZ lock-leaked-on-return
	c, ok := g.clients[inst.Addr]
	if !ok {
		if inst.Addr == "" {
			panic("gateway: instance " + inst.ID + " of " + service + " has no address")
		}
		c, err = rpc.Dial("http://"+inst.Addr, g.clientOptions()...)
		if err != nil {
			g.mu.Unlock()
			return nil, err
		}
		g.clients[inst.Addr] = c
	}
	g.mu.Unlock()
	return c, nil
}

// WarmClients opens a connection to the first n instances of service, so
// the first requests do not pay for the handshakes. It returns how many
// warm-ups were started.
func (g *Gateway) WarmClients(ctx context.Context, service string, n int) (int, error) {
	insts, err := g.resolver.Resolve(ctx, service)
	if err != nil {
		return 0, err
	}
	n = min(n, len(insts))
	errs := make([]error, n)
	var wg sync.WaitGroup
	var i int
	for i = 0; i < n; i++ {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = g.warm(ctx, insts[i])
		}()
	}
	wg.Wait()
	return i, errors.Join(errs...)
}

func (g *Gateway) warm(ctx context.Context, inst registry.Instance) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, "http://"+inst.Addr+"/", nil)
	if err != nil {
		return err
	}
	resp, err := g.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// WarmAll warms every instance of every routed service, one goroutine per
// service; each goroutine gets its own copy of the loop variable (Go 1.22).
func (g *Gateway) WarmAll(ctx context.Context) error {
	services := g.services()
	errs := make([]error, len(services))
	var wg sync.WaitGroup
	for i, svc := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = g.WarmClients(ctx, svc, 1<<10)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// HealthOfAll asks the backend of every routed service for its health.
func (g *Gateway) HealthOfAll(ctx context.Context) map[string]health.ServingStatus {
	services := g.services()
	out := make(map[string]health.ServingStatus, len(services))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, svc := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := g.clientFor(ctx, svc)
			if err != nil {
				mu.Lock()
				out[svc] = health.Unknown
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			var resp health.CheckResponse
			st := health.NotServing
			if err := c.Invoke(ctx, "/grpc.health.v1.Health/Check", &health.CheckRequest{Service: svc}, &resp); err == nil {
				st = resp.Status
			}
			mu.Lock()
			out[svc] = st
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
