// Command ftpbench measures upload and download throughput against a
// server with several concurrent sessions.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/pprof"
	"sort"
	"sync"
	"time"

	"example.com/ftpsrv/client"
)

type result struct {
	op    string
	bytes int64
	took  time.Duration
	err   error
}

func main() {
	addr := flag.String("addr", "127.0.0.1:2121", "server address")
	sessions := flag.Int("c", 8, "concurrent sessions")
	size := flag.Int("size", 4<<20, "file size in bytes")
	rounds := flag.Int("n", 10, "uploads and downloads per session")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	soakFor := flag.Duration("soak", 0, "run a single-session soak test for this long instead")
	flag.Parse()

	if *sessions < 1 || *rounds < 1 {
		die("-c and -n must be positive")
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			die("cpuprofile: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			die("cpuprofile: %v", err)
		}
		defer pprof.StopCPUProfile()
	}

	cfg := client.Config{Addr: *addr, User: "bench", Password: os.Getenv("FTP_PASSWORD"), Retries: 2}
	if *soakFor > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), *soakFor)
		err := soak(ctx, cfg)
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "ftpbench: soak:", err)
		}
		return
	}
	if err := warmup(context.Background(), cfg, *sessions); err != nil {
		fmt.Fprintln(os.Stderr, "ftpbench: warm-up:", err)
	}
	results, err := runBench(cfg, *sessions, *rounds, *size)
	if err != nil {
		die("%v", err) // HAZ exit-skips-defer
	}
	summarize(results).Print(os.Stdout)
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ftpbench: "+format+"\n", args...)
	os.Exit(1)
}

// runBench runs n sessions; each uploads and downloads rounds files.
func runBench(cfg client.Config, n, rounds, size int) ([]result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	// One slot per result: workers never block on a slow collector.
	results := make(chan result, n*rounds*2)
	payload := bytes.Repeat([]byte("ftpbench"), size/8+1)[:size]
	var wg sync.WaitGroup
	for s := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			benchSession(ctx, cfg, s, rounds, payload, results)
		}()
	}
	wg.Wait()
	close(results)

	var out []result
	for r := range results {
		if r.err != nil {
			return nil, fmt.Errorf("%s: %w", r.op, r.err)
		}
		out = append(out, r)
	}
	return out, nil
}

// benchSession runs one session's uploads and downloads.
func benchSession(ctx context.Context, cfg client.Config, id, rounds int, payload []byte, out chan<- result) {
	// A crashing session must not take the whole benchmark down.
	defer recover() // HAZ recover-ineffective
	c, err := client.Dial(ctx, cfg)
	if err != nil {
		out <- result{op: "dial", err: err}
		return
	}
	defer c.Close()
	for i := range rounds {
		name := fmt.Sprintf("bench-%d-%d.bin", id, i)
		start := time.Now()
		n, err := c.Store(ctx, name, bytes.NewReader(payload))
		out <- result{op: "STOR", bytes: n, took: time.Since(start), err: err}

		start = time.Now()
		n, err = c.Retrieve(ctx, name, io.Discard)
		out <- result{op: "RETR", bytes: n, took: time.Since(start), err: err}
	}
}

// summary holds throughput samples in MiB/s per operation.
type summary map[string][]float64

// summarize computes per-operation throughput from results.
func summarize(results []result) summary {
	s := make(summary)
	for _, r := range results {
		if r.took > 0 {
			s[r.op] = append(s[r.op], float64(r.bytes)/r.took.Seconds()/(1<<20))
		}
	}
	return s
}

// Print writes percentiles per operation.
func (s summary) Print(w io.Writer) {
	ops := make([]string, 0, len(s))
	for op := range s {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		mbps := s[op]
		sort.Float64s(mbps)
		p := func(q float64) float64 { return mbps[int(q*float64(len(mbps)-1))] }
		fmt.Fprintf(w, "%s  n=%d  p50=%.1f MiB/s  p90=%.1f MiB/s  min=%.1f MiB/s\n",
			op, len(mbps), p(0.5), p(0.9), mbps[0])
	}
}

// soak keeps one session busy with small uploads until ctx ends and
// prints the throughput summary when it stops.
func soak(ctx context.Context, cfg client.Config) error {
	var results []result
	defer summarize(results).Print(os.Stdout) // HAZ defer-call-chain
	c, err := client.Dial(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	payload := bytes.Repeat([]byte("soak"), 16<<10)
	for i := 0; ctx.Err() == nil; i++ {
		start := time.Now()
		n, err := c.Store(ctx, fmt.Sprintf("soak-%d.bin", i%16), bytes.NewReader(payload))
		if err != nil {
			return err
		}
		results = append(results, result{op: "STOR", bytes: n, took: time.Since(start)})
	}
	return nil
}

// warmup opens and closes n sessions concurrently before measuring, so
// that the server's first-login costs do not skew the numbers.
func warmup(ctx context.Context, cfg client.Config, n int) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	var s int
	for s = 0; s < n; s++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c, err := client.Dial(ctx, cfg)
			if err == nil {
				err = c.Close()
			}
			errs[s] = err
		}()
	}
	wg.Wait()
	log.Printf("ftpbench: warm-up: %d sessions", s)
	return errors.Join(errs...)
}
