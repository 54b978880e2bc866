//go:build unix

package upstream

import (
	"context"
	"net"
)

// ResolveAll looks every host up concurrently and returns the addresses of
// those that resolved. Every lookup is received, so no goroutine is left.
func ResolveAll(ctx context.Context, hosts []string) map[string][]string {
	type answer struct {
		host  string
		addrs []string
	}
	answers := make(chan answer, len(hosts))
	for _, h := range hosts {
		go func() {
			addrs, err := net.DefaultResolver.LookupHost(ctx, h)
			if err != nil {
				addrs = nil
			}
			answers <- answer{host: h, addrs: addrs}
		}()
	}
	out := make(map[string][]string, len(hosts))
	for range hosts {
		a := <-answers
		if len(a.addrs) > 0 {
			out[a.host] = a.addrs
		}
	}
	return out
}
