// Command mxprobe prints the SMTP banner of the MX of each domain given on
// the command line, probing them concurrently.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"sort"
	"strings"
	"time"

	"example.com/newsletter/internal/smtpx"
)

type probeResult struct {
	domain string
	banner string
	err    error
}

func main() {
	timeout := flag.Duration("timeout", 5*time.Second, "per-host timeout")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: mxprobe [-timeout 5s] domain...")
		os.Exit(2)
	}
	os.Exit(probeAll(flag.Args(), *timeout))
}

// probeAll probes every domain and prints the results sorted by domain. It
// returns 1 if any probe failed. The results channel holds one value per
// goroutine, so stopping early at the deadline leaks no sender.
func probeAll(domains []string, timeout time.Duration) int {
	ctx, cancel := context.WithTimeout(context.Background(), timeout+time.Second)
	defer cancel()
	results := make(chan probeResult, len(domains))
	for _, d := range domains {
		go func() {
			banner, err := probeDomain(ctx, d, timeout)
			results <- probeResult{domain: d, banner: banner, err: err}
		}()
	}
	var got []probeResult
	for range domains {
		select {
		case r := <-results:
			got = append(got, r)
		case <-ctx.Done():
			fmt.Fprintln(os.Stderr, "mxprobe: deadline reached, some domains did not answer")
		}
		if ctx.Err() != nil {
			break
		}
	}
	sort.Slice(got, func(i, j int) bool { return got[i].domain < got[j].domain })
	code := 0
	for _, r := range got {
		if r.err != nil {
			code = 1
			fmt.Printf("%-30s ERROR %v\n", r.domain, r.err)
			continue
		}
		fmt.Printf("%-30s %s\n", r.domain, r.banner)
	}
	if len(got) < len(domains) {
		code = 1
	}
	return code
}

// probeDomain resolves the preferred MX of domain and reads its banner.
func probeDomain(ctx context.Context, domain string, timeout time.Duration) (string, error) {
	var r net.Resolver
	mxs, err := r.LookupMX(ctx, domain)
	if err != nil {
		return "", err
	}
	host := domain
	if len(mxs) > 0 {
		host = strings.TrimSuffix(mxs[0].Host, ".")
	}
	return smtpx.Probe(net.JoinHostPort(host, "25"), timeout)
}
