// Command limit-replay replays an archive of usage events against a
// candidate limiter policy and reports how many requests would have been
// rejected per tenant. It is used to size policies before rolling them out.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"sort"
	"sync"
	"text/tabwriter"
	"time"

	"example.com/ratelimitgw/internal/limiter"
	"example.com/ratelimitgw/internal/usage"
)

type outcome struct {
	tenant   string
	allowed  int
	rejected int
}

// simulate feeds events, in time order, through a registry driven by the
// events' own timestamps.
func simulate(events []usage.Event, p limiter.Policy) []outcome {
	sort.Slice(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	var now time.Time
	reg := limiter.NewRegistry(p, func() time.Time { return now })
	byTenant := make(map[string]*outcome)
	for _, ev := range events {
		now = ev.At
		o, ok := byTenant[ev.Tenant]
		if !ok {
			o = &outcome{tenant: ev.Tenant}
			byTenant[ev.Tenant] = o
		}
		if reg.Check(ev.Tenant).Allowed {
			o.allowed++
		} else {
			o.rejected++
		}
	}
	out := make([]outcome, 0, len(byTenant))
	for _, o := range byTenant {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rejected > out[j].rejected })
	return out
}

// comparePolicies simulates several candidate policies concurrently and
// returns the total number of rejections of each, in the order given.
func comparePolicies(events []usage.Event, policies []limiter.Policy) []int {
	totals := make([]int, len(policies))
	var wg sync.WaitGroup
	for i, p := range policies {
		own := append([]usage.Event(nil), events...)
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for _, o := range simulate(own, p) {
				totals[i] += o.rejected
			}
		}()
		log.Printf("policy %d: burst=%d rate=%.1f queued", i, p.Burst, p.PerSecond)
	}
	wg.Wait()
	return totals
}

func report(results []outcome) error {
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TENANT\tALLOWED\tREJECTED\t")
	for _, o := range results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", o.tenant, o.allowed, o.rejected)
	}
	return tw.Flush()
}

func main() {
	archive := flag.String("archive", "", "usage archive (.jsonl.gz)")
	burst := flag.Int("burst", 50, "candidate burst")
	rate := flag.Float64("rate", 10, "candidate refill rate per second")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here")
	compare := flag.Bool("compare", false, "also compare half and double the candidate")
	flag.Parse()
	logger := log.New(os.Stderr, "limit-replay: ", 0)
	if *archive == "" {
		logger.Fatal("-archive is required")
	}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			logger.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			logger.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}

	events, err := usage.ReadArchive(*archive)
	if err != nil {
		logger.Fatalf("read %s: %v", *archive, err) // HAZ exit-skips-defer
	}
	results := simulate(events, limiter.Policy{Burst: *burst, PerSecond: *rate})
	if err := report(results); err != nil {
		logger.Printf("write report: %v", err)
	}
	if *compare {
		candidates := []limiter.Policy{
			{Burst: *burst / 2, PerSecond: *rate},
			{Burst: *burst, PerSecond: *rate},
			{Burst: *burst * 2, PerSecond: *rate * 2},
		}
		for i, n := range comparePolicies(events, candidates) {
			fmt.Printf("candidate %d: %d rejections\n", i, n)
		}
	}
}
