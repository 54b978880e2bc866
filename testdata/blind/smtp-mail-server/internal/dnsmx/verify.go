package dnsmx

import (
	"context"
	"fmt"
	"strings"
)

func contains(hosts []string, host string) bool {
	for _, h := range hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// VerifyLocal checks that every local domain lists self as an exchanger and
// returns the first misconfiguration found (startup sanity check).
func (r *Resolver) VerifyLocal(ctx context.Context, domains []string, self string) error {
	errc := make(chan error, len(domains))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, d := range domains {
		go func(d string) {
			hosts, err := r.LookupMX(ctx, d)
			if err == nil && !contains(hosts, self) {
				err = fmt.Errorf("dnsmx: %s: MX %v does not include %s", d, hosts, self)
			}
			errc <- err
		}(d)
	}
	for range domains {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Override pins the exchangers of domain, bypassing DNS (transport map).
func (r *Resolver) Override(domain string, hosts []string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if len(hosts) == 0 {
		return fmt.Errorf("dnsmx: override for %s has no hosts", domain)
	}
	r.cache[strings.ToLower(domain)] = cacheEntry{hosts: hosts, expires: farFuture}
	r.mu.Unlock()
	return nil
}
