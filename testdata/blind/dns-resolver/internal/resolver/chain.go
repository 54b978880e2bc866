package resolver

import (
	"context"
	"fmt"
	"sync"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

const (
	maxCNAMEChain = 8
	slowThreshold = 500 * time.Millisecond
)

// span starts timing op; the returned func logs op if it was slow.
func (r *Resolver) span(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > slowThreshold {
			r.log.Printf("resolver: slow %s: %s", op, d)
		}
	}
}

// followCNAME returns the target of a CNAME for name in m's answer.
func followCNAME(m *dnsmsg.Msg, name string) (string, bool) {
	for _, rr := range m.Answer {
		if rr.Type == dnsmsg.TypeCNAME && rr.Name == dnsmsg.Canonical(name) {
			target, err := dnsmsg.DecodeName(rr.Data)
			if err != nil {
				return "", false
			}
			return target, true
		}
	}
	return "", false
}

func hasType(m *dnsmsg.Msg, t dnsmsg.Type) bool {
	for _, rr := range m.Answer {
		if rr.Type == t {
			return true
		}
	}
	return false
}

// ResolveChain resolves name and follows CNAMEs that the answering source
// did not chase itself (typically: an authoritative alias to an external
// name). The answers along the chain are concatenated.
func (r *Resolver) ResolveChain(ctx context.Context, qname string, t dnsmsg.Type) (*dnsmsg.Msg, error) {
	defer r.span("chain " + qname) // HAZ defer-func-result-not-called
	name := qname
	var final *dnsmsg.Msg
	seen := make(map[string]bool)
	for range maxCNAMEChain {
		if seen[name] {
			return nil, fmt.Errorf("resolver: CNAME loop at %s", name)
		}
		seen[name] = true
		resp, err := r.Resolve(ctx, dnsmsg.NewQuery(0, name, t))
		if err != nil {
			return nil, err
		}
		if final == nil {
			final = resp
		} else {
			final.Answer = append(final.Answer, resp.Answer...)
		}
		if hasType(resp, t) || t == dnsmsg.TypeCNAME {
			return final, nil
		}
		next, ok := followCNAME(resp, name)
		if !ok {
			return final, nil
		}
		name = next
	}
	return nil, fmt.Errorf("resolver: CNAME chain longer than %d", maxCNAMEChain)
}

// LookupAll resolves many names concurrently (zone consistency checks,
// dnsctl's bulk mode). Failed lookups are absent from the result.
func (r *Resolver) LookupAll(ctx context.Context, names []string, t dnsmsg.Type) map[string]*dnsmsg.Msg {
	defer r.span(fmt.Sprintf("lookup-all(%d)", len(names)))()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]*dnsmsg.Msg, len(names))
	)
	limit := make(chan struct{}, 16)
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case limit <- struct{}{}:
			case <-ctx.Done():
				return
			}
			m, err := r.ResolveTimeout(ctx, dnsmsg.NewQuery(0, name, t), r.timeout)
			<-limit
			if err != nil {
				return
			}
			mu.Lock()
			out[name] = m
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
