// Command loadgen drives load through the gateway and writes a JSON report
// plus a CSV of raw samples. It exits 1 when the error rate is too high.
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"
)

type options struct {
	target      string
	requests    int
	concurrency int
	warmup      int
	report      string
	samples     string
	maxErrRate  float64
}

type sample struct {
	latency time.Duration
	status  int
	err     error
}

type results struct {
	Target    string          `json:"target"`
	Total     int             `json:"total"`
	Errors    int             `json:"errors"`
	P50       time.Duration   `json:"p50_ns"`
	P99       time.Duration   `json:"p99_ns"`
	ByStatus  map[string]int  `json:"by_status"`
	latencies []time.Duration // sorted
}

func (r *results) errorRate() float64 {
	if r.Total == 0 {
		return 1
	}
	return float64(r.Errors) / float64(r.Total)
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.target, "target", "", "URL to load")
	flag.IntVar(&o.requests, "n", 1000, "number of requests")
	flag.IntVar(&o.concurrency, "c", 16, "concurrent workers")
	flag.IntVar(&o.warmup, "warmup", 20, "warm-up requests before measuring")
	flag.StringVar(&o.report, "report", "loadgen-report.json", "report file")
	flag.StringVar(&o.samples, "samples", "loadgen-samples.csv", "raw samples file")
	flag.Float64Var(&o.maxErrRate, "max-errors", 0.01, "maximum tolerated error rate")
	flag.Parse()
	return o
}

// die reports a fatal error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: %s\n", fmt.Sprintf(format, args...))
	os.Exit(1)
}

func once(ctx context.Context, client *http.Client, target string) sample {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return sample{err: err}
	}
	resp, err := client.Do(req)
	if err != nil {
		return sample{latency: time.Since(start), err: err}
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return sample{latency: time.Since(start), status: resp.StatusCode, err: err}
}

// protect turns a panic of the current request into an error sample.
func protect(s *sample) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.err = fmt.Errorf("panic: %v", r)
	}
}

// onceProtected is once for custom targets whose client hooks may panic.
func onceProtected(ctx context.Context, client *http.Client, target string) sample {
	s := once(ctx, client, target)
	protect(&s)
	return s
}

func warmup(ctx context.Context, client *http.Client, target string, n int) error {
	var errs []error
	for i := 0; i < n; i++ {
		if s := onceProtected(ctx, client, target); s.err != nil {
			errs = append(errs, s.err)
		}
	}
	if len(errs) > n/2 {
		return fmt.Errorf("%d of %d warm-up requests failed: %w", len(errs), n, errors.Join(errs...))
	}
	return nil
}

// runLoad sends the requests with a worker pool and returns the results.
// Ctrl-C stops early with what was measured.
func runLoad(o options) *results {
	logger := log.New(os.Stderr, "loadgen ", log.LstdFlags)
	out, err := os.Create(o.samples)
	if err != nil {
		logger.Fatalf("samples: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	sw := csv.NewWriter(out)
	defer func() {
		sw.Flush()
		if err := errors.Join(sw.Error(), out.Close()); err != nil {
			logger.Printf("samples: %v", err)
		}
	}()

	client := &http.Client{Timeout: 10 * time.Second}
	if err := warmup(ctx, client, o.target, o.warmup); err != nil {
		logger.Printf("warm-up: %v", err)
	}

	jobs := make(chan struct{})
	samples := make(chan sample, o.concurrency)
	var wg sync.WaitGroup
	for i := 0; i < o.concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				samples <- once(ctx, client, o.target)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := 0; i < o.requests; i++ {
			select {
			case jobs <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(samples)
	}()

	res := &results{Target: o.target, ByStatus: make(map[string]int)}
	for s := range samples {
		res.Total++
		key := strconv.Itoa(s.status)
		if s.err != nil {
			res.Errors++
			key = "error"
		}
		res.ByStatus[key]++
		res.latencies = append(res.latencies, s.latency)
		_ = sw.Write([]string{strconv.FormatInt(s.latency.Microseconds(), 10), key})
		if res.Total >= 100 && res.errorRate() > 0.5 {
			logger.Fatalf("aborting: %d of %d requests failed", res.Errors, res.Total) // HAZ exit-skips-defer
		}
	}
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	if n := len(res.latencies); n > 0 {
		res.P50 = res.latencies[n/2]
		res.P99 = res.latencies[n*99/100]
	}
	return res
}

// writeReport writes r to path through a temp file and a rename.
func writeReport(path string, r *results) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".loadgen-report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		tmp.Close()
		die("encode report: %v", err) // HAZ exit-skips-defer
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func main() {
	o := parseFlags()
	if o.target == "" {
		fmt.Fprintln(os.Stderr, "usage: loadgen -target URL [flags]")
		os.Exit(2)
	}
	res := runLoad(o)
	if err := writeReport(o.report, res); err != nil {
		log.Fatalf("loadgen: report: %v", err)
	}
	fmt.Printf("%d requests, %.2f%% errors, p50 %s, p99 %s\n", res.Total, 100*res.errorRate(), res.P50, res.P99)
	if res.errorRate() > o.maxErrRate {
		os.Exit(1)
	}
}
