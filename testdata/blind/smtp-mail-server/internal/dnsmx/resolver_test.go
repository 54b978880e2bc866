package dnsmx

import (
	"context"
	"errors"
	"net"
	"reflect"
	"testing"
	"time"
)

type fakeDNS struct {
	mx    map[string][]*net.MX
	calls int
}

func (f *fakeDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	f.calls++
	mxs, ok := f.mx[name]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	}
	return mxs, nil
}

func (f *fakeDNS) LookupTXT(context.Context, string) ([]string, error) { return nil, nil }

func (f *fakeDNS) LookupHost(context.Context, string) ([]string, error) {
	return []string{"192.0.2.25"}, nil
}

func TestLookupMXSortsAndCaches(t *testing.T) {
	dns := &fakeDNS{mx: map[string][]*net.MX{
		"example.net":    {{Host: "mx2.example.net.", Pref: 20}, {Host: "mx1.example.net.", Pref: 10}},
		"nomail.example": {{Host: ".", Pref: 0}},
	}}
	r := &Resolver{lk: dns, timeout: time.Second, ttl: time.Minute, cache: map[string]cacheEntry{}}

	for i := 0; i < 2; i++ {
		hosts, err := r.LookupMX(context.Background(), "Example.NET.")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"mx1.example.net", "mx2.example.net"}; !reflect.DeepEqual(hosts, want) {
			t.Fatalf("hosts = %v, want %v", hosts, want)
		}
	}
	if dns.calls != 1 {
		t.Errorf("DNS queried %d times, want 1 (cache)", dns.calls)
	}
	if _, err := r.LookupMX(context.Background(), "nomail.example"); !errors.Is(err, ErrNullMX) {
		t.Errorf("null MX: err = %v", err)
	}
	hosts, err := r.LookupMX(context.Background(), "implicit.example")
	if err != nil || len(hosts) != 1 || hosts[0] != "implicit.example" {
		t.Errorf("implicit MX: %v %v", hosts, err)
	}
}
