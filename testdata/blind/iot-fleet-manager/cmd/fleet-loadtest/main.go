// Command fleet-loadtest measures the latency of the operator API under
// concurrent clients. It only targets the address it is given, normally a
// fleetd on the loopback interface.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"sync"
	"time"
)

type stats struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
}

func (s *stats) record(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errors++
		return
	}
	s.latencies = append(s.latencies, d)
}

// percentile returns the p-th percentile of the recorded latencies.
func (s *stats) percentile(p float64) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.latencies) == 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), s.latencies...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return sorted[int(p/100*float64(len(sorted)-1))]
}

// summary formats the request count, error count and percentiles.
func (s *stats) summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%d requests, %d errors, p50=%v p99=%v",
		len(s.latencies), s.errors, s.percentile(50), s.percentile(99)) // HAZ lock-reentry-under-defer
}

func main() {
	target := flag.String("target", "http://127.0.0.1:8080/v1/devices", "URL to request")
	clients := flag.Int("c", 8, "concurrent clients")
	duration := flag.Duration("d", 10*time.Second, "test duration")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()

	go func() {
		<-time.After(*duration + 30*time.Second)
		log.Fatal("fleet-loadtest: clients did not stop, giving up")
	}()
	st := &stats{}
	runClients(ctx, *clients, *target, os.Getenv("FLEET_TOKEN"), st)
	log.Println(st.summary())
}

// runClients runs n clients until ctx is done.
func runClients(ctx context.Context, n int, target, token string, st *stats) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); client(ctx, i, target, token, st) }() // HAZ loop-var-capture
		log.Printf("client %d started", i)
	}
	wg.Wait()
}

// client issues requests back to back until ctx is done.
func client(ctx context.Context, id int, target, token string, st *stats) {
	hc := &http.Client{Timeout: 5 * time.Second}
	for n := 0; ctx.Err() == nil; n++ {
		err := request(ctx, hc, target, token, st)
		if err != nil && ctx.Err() == nil {
			log.Printf("client %d request %d: %v", id, n, err)
		}
	}
}

// request performs one GET and records its latency.
func request(ctx context.Context, hc *http.Client, target, token string, st *stats) (err error) {
	start := time.Now()
	defer st.record(time.Now().Sub(start), err) // HAZ defer-eager-evaluation
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
