package resolver

import (
	"context"
	"io"
	"log"
	"strings"
	"testing"

	"example.com/dnsresolver/internal/cache"
	"example.com/dnsresolver/internal/dnsmsg"
	"example.com/dnsresolver/internal/metrics"
	"example.com/dnsresolver/internal/zone"
)

const testZone = `@ 3600 IN SOA ns hostmaster 7 3600 600 86400 60
www 300 IN A 192.0.2.10
alias 300 IN CNAME www
`

func newTestResolver(t *testing.T) *Resolver {
	t.Helper()
	z, err := zone.Parse(strings.NewReader(testZone), "example.org.", "test.zone")
	if err != nil {
		t.Fatal(err)
	}
	zs := zone.NewStore(t.TempDir(), log.New(io.Discard, "", 0))
	zs.Put(z)
	c := cache.New(cache.Config{Shards: 1})
	t.Cleanup(c.Close)
	return New(Config{Cache: c, Zones: zs, Metrics: metrics.NewRegistry(), Log: log.New(io.Discard, "", 0)})
}

func TestAuthoritativeNXDomainCarriesSOA(t *testing.T) {
	r := newTestResolver(t)
	resp, err := r.Resolve(context.Background(), dnsmsg.NewQuery(9, "missing.example.org.", dnsmsg.TypeA))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Rcode != dnsmsg.RcodeNXDomain || !resp.Authoritative {
		t.Fatalf("header = %+v", resp.Header)
	}
	if len(resp.Authority) != 1 || resp.Authority[0].Type != dnsmsg.TypeSOA {
		t.Errorf("authority = %+v", resp.Authority)
	}
}

func TestAuthoritativeCNAMEIsReturned(t *testing.T) {
	r := newTestResolver(t)
	resp, err := r.Resolve(context.Background(), dnsmsg.NewQuery(10, "alias.example.org.", dnsmsg.TypeA))
	if err != nil {
		t.Fatal(err)
	}
	target, ok := followCNAME(resp, "alias.example.org.")
	if !ok || target != "www.example.org." {
		t.Errorf("CNAME target = %q, %v", target, ok)
	}
}

func TestCompareWithoutUpstreams(t *testing.T) {
	r := newTestResolver(t)
	if got := r.Compare(context.Background(), dnsmsg.NewQuery(1, "example.org.", dnsmsg.TypeSOA)); len(got) != 0 {
		t.Errorf("Compare = %+v", got)
	}
}
