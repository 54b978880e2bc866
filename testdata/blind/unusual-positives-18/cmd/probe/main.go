// Command probe checks a list of host:port targets and exits non-zero when
// any of them is down.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"example.com/up18/internal/health"
)

func main() {
	timeout := flag.Duration("timeout", 3*time.Second, "per-target timeout")
	budget := flag.Duration("budget", 10*time.Second, "overall time budget")
	flag.Parse()
	targets := flag.Args()
	if len(targets) == 0 {
		die("usage: probe [-timeout d] host:port...")
	}

	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, "probe: write results:", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), *budget)
	defer cancel()

	results := health.NewMonitor(*timeout, 60).ProbeAll(ctx, targets)
	sort.Strings(targets)
	down := 0
	for _, t := range targets {
		r, ok := results[t]
		switch {
		case !ok:
			down++
			fmt.Fprintf(out, "%-30s timeout\n", t)
		case !r.Up():
			down++
			fmt.Fprintf(out, "%-30s down: %v\n", t, r.Err)
		default:
			fmt.Fprintf(out, "%-30s up %v\n", t, r.Latency.Round(time.Millisecond))
		}
	}
	if down > 0 {
		die(fmt.Sprintf("%d of %d targets down", down, len(targets))) // HAZ exit-skips-defer
	}
}

// die prints msg and ends the process with status 1.
func die(msg string) {
	fmt.Fprintln(os.Stderr, "probe:", msg)
	os.Exit(1)
}
