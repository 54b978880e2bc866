// Command leasebench measures grant/revoke latency against a leased
// cluster.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/leaselock/client"
)

type samples struct {
	mu  sync.Mutex
	lat []time.Duration
}

func (s *samples) add(d time.Duration) {
	s.mu.Lock()
	s.lat = append(s.lat, d)
	s.mu.Unlock()
}

// percentile returns the p-th percentile (0..100) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

// worker runs n grant+revoke cycles.
func worker(c *client.Client, n int, s *samples, done *atomic.Int64) error {
	for i := 0; i < n; i++ {
		err := func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			start := time.Now()
			id, err := c.Grant(ctx, 10*time.Second)
			if err != nil {
				return err
			}
			if err := c.Revoke(ctx, id); err != nil {
				return err
			}
			s.add(time.Since(start))
			return nil
		}()
		if err != nil {
			return err
		}
		done.Add(1)
	}
	return nil
}

// startProgress prints the number of finished operations every second
// until the returned function is called.
func startProgress(total int, done *atomic.Int64) func() {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				fmt.Fprintf(os.Stderr, "\r%d/%d\n", done.Load(), total)
				return
			case <-t.C:
				fmt.Fprintf(os.Stderr, "\r%d/%d", done.Load(), total)
			}
		}
	}()
	return func() {
		close(stop)
		wg.Wait()
	}
}

// runWorkers runs the benchmark and returns the sorted latencies.
func runWorkers(c *client.Client, workers, n int) ([]time.Duration, error) {
	var done atomic.Int64
	defer startProgress(workers*n, &done)()
	s := &samples{}
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := worker(c, n, s, &done); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	var first error
	for err := range errs {
		if first == nil {
			first = err
		}
		failed++
	}
	if failed > workers/2 {
		fmt.Fprintf(os.Stderr, "leasebench: %d of %d workers failed, first: %v\n", failed, workers, first)
		os.Exit(3) // HAZ exit-skips-defer
	}
	sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	return s.lat, first
}

func main() {
	logger := log.New(os.Stderr, "leasebench: ", 0)
	endpoints := flag.String("endpoints", "127.0.0.1:7420", "comma-separated server addresses")
	workers := flag.Int("c", 8, "concurrent workers")
	n := flag.Int("n", 1000, "grant+revoke cycles per worker")
	flag.Parse()

	c, err := client.New(context.Background(), client.Config{Endpoints: strings.Split(*endpoints, ","), MaxRetries: 2})
	if err != nil {
		logger.Fatalf("connect: %v", err)
	}
	defer c.Close()

	lat, err := runWorkers(c, *workers, *n)
	if err != nil {
		logger.Fatalf("benchmark: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("ops=%d p50=%v p99=%v max=%v\n", len(lat), percentile(lat, 50), percentile(lat, 99), percentile(lat, 100))
}
