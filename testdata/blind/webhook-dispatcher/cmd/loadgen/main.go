//go:build go1.22

// Command loadgen fires signed synthetic events straight at a receiver to
// find out how much concurrency it takes. It uses Go 1.22 features (range
// over int, per-iteration loop variables), hence the build constraint.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/webhooks/internal/signing"
)

type stats struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
}

func (s *stats) add(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errors++
		return
	}
	s.latencies = append(s.latencies, d)
}

func (s *stats) p99() time.Duration {
	s.mu.Lock()
	lat := append([]time.Duration(nil), s.latencies...)
	s.mu.Unlock()
	if len(lat) == 0 {
		return 0
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat[len(lat)*99/100]
}

func (s *stats) report(w io.Writer, elapsed time.Duration) {
	s.mu.Lock()
	n, errs := len(s.latencies), s.errors
	s.mu.Unlock()
	fmt.Fprintf(w, "requests: %d ok, %d errors in %s (%.1f/s), p99 %s\n",
		n, errs, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), s.p99())
}

type generator struct {
	client    *http.Client
	target    string
	secret    []byte
	perWorker int
	st        *stats
}

// fire sends one event.
func (g *generator) fire(worker, seq int) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	body := fmt.Appendf(nil, `{"type":"loadgen.ping","data":{"worker":%d,"seq":%d}}`, worker, seq)
	req, err := http.NewRequest(http.MethodPost, g.target, bytes.NewReader(body))
	if err != nil {
		g.st.add(0, err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Event", "loadgen.ping")
	req.Header.Set(signing.Header, signing.Sign(g.secret, time.Now(), body))
	start := time.Now()
	resp, err := g.client.Do(req)
	if err != nil {
		g.st.add(time.Since(start), err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		g.st.add(time.Since(start), fmt.Errorf("status %d", resp.StatusCode))
		return
	}
	g.st.add(time.Since(start), nil)
}

func (g *generator) runWorker(id int) {
	for seq := range g.perWorker {
		g.fire(id, seq)
	}
}

// runFixed runs n workers to completion.
func (g *generator) runFixed(n int) {
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.runWorker(w)
		}()
	}
	wg.Wait()
}

// rampUp adds one worker per step until p99 exceeds budget or max workers
// run, and returns how many were started.
func (g *generator) rampUp(max int, step, budget time.Duration) int {
	var wg sync.WaitGroup
	var n int
	for n = 0; n < max; n++ {
		if g.st.p99() > budget {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			g.runWorker(n)
		}()
		time.Sleep(step)
	}
	wg.Wait()
	return n
}

func main() {
	target := flag.String("target", "http://127.0.0.1:9000/hook", "receiver URL")
	secret := flag.String("secret", os.Getenv("WEBHOOK_SECRET"), "signing secret")
	workers := flag.Int("workers", 8, "concurrent workers (maximum with -ramp)")
	perWorker := flag.Int("n", 100, "events per worker")
	ramp := flag.Bool("ramp", false, "add workers until -budget is exceeded")
	step := flag.Duration("step", 2*time.Second, "ramp step")
	budget := flag.Duration("budget", 500*time.Millisecond, "p99 latency budget for -ramp")
	flag.Parse()
	if *secret == "" {
		log.Fatal("loadgen: -secret or WEBHOOK_SECRET is required")
	}

	g := &generator{
		client:    &http.Client{Timeout: 10 * time.Second},
		target:    *target,
		secret:    []byte(*secret),
		perWorker: *perWorker,
		st:        &stats{},
	}
	start := time.Now()
	if *ramp {
		n := g.rampUp(*workers, *step, *budget)
		log.Printf("ramped to %d workers", n)
	} else {
		g.runFixed(*workers)
	}
	g.st.report(os.Stdout, time.Since(start))
}
