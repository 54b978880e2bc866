// Command dbbench drives the connection pool with concurrent workers
// against the in-memory driver and prints latency and pool statistics.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/falsealarm5/dbpool"
)

type result struct {
	ops  int
	errs int
	lat  []time.Duration
}

// worker runs transfers until ctx ends and reports exactly once on out,
// which has a slot for every worker.
func worker(ctx context.Context, p *dbpool.Pool, id int, out chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	var r result
	for ctx.Err() == nil {
		start := time.Now()
		err := p.Transfer(ctx, fmt.Sprintf("acct-%d", id%4), fmt.Sprintf("acct-%d", (id+1)%4), 1)
		if err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
			r.errs++
		}
		r.ops++
		r.lat = append(r.lat, time.Since(start))
	}
	out <- r
}

func percentile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat[int(q*float64(len(lat)-1))]
}

func seed(ctx context.Context, p *dbpool.Pool) error {
	if _, err := p.Exec(ctx, "CREATE TABLE accounts"); err != nil {
		return err
	}
	for i := 0; i < 4; i++ {
		if _, err := p.Exec(ctx, "INSERT INTO accounts", fmt.Sprintf("acct-%d", i), int64(1_000_000)); err != nil {
			return err
		}
	}
	return nil
}

// main validates flags and exits on errors before any defer is
// registered; after that it only returns.
func main() {
	workers := flag.Int("workers", 8, "concurrent workers")
	dur := flag.Duration("d", 2*time.Second, "run time")
	maxOpen := flag.Int("max-open", 4, "pool size")
	flag.Parse()
	if *workers < 1 || *maxOpen < 1 {
		log.Fatal("dbbench: -workers and -max-open must be positive")
	}
	pool, err := dbpool.NewPool(dbpool.NewMemDriver(), dbpool.Config{MaxOpen: *maxOpen, HealthCheckPeriod: time.Second}, nil)
	if err != nil {
		log.Fatalf("dbbench: %v", err)
	}
	defer pool.Close()

	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	if err := seed(ctx, pool); err != nil {
		fmt.Fprintln(os.Stderr, "dbbench: seed:", err)
		return
	}

	out := make(chan result, *workers)
	var wg sync.WaitGroup
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go worker(ctx, pool, i, out, &wg)
	}
	wg.Wait()
	close(out)

	var total result
	for r := range out {
		total.ops += r.ops
		total.errs += r.errs
		total.lat = append(total.lat, r.lat...)
	}
	st := pool.Stats()
	fmt.Printf("ops=%d errors=%d p50=%s p99=%s opened=%d waits=%d\n",
		total.ops, total.errs, percentile(total.lat, .5), percentile(total.lat, .99), st.Opened, st.WaitTimeouts)
}
