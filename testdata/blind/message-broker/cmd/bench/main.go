// Command bench is a load generator: it publishes rounds of messages with a
// pool of workers and reports throughput and latency percentiles.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/messagebroker/client"
)

type benchConfig struct {
	addrs       string
	topic       string
	workers     int
	perWorker   int
	size        int
	payloadFile string
	pause       time.Duration
	report      string
}

func parseFlags() benchConfig {
	var c benchConfig
	flag.StringVar(&c.addrs, "addrs", "localhost:7070", "broker addresses")
	flag.StringVar(&c.topic, "topic", "bench", "topic to publish to")
	flag.IntVar(&c.workers, "workers", 8, "concurrent producers")
	flag.IntVar(&c.perWorker, "n", 1000, "messages per worker per round")
	flag.IntVar(&c.size, "size", 256, "payload size in bytes")
	flag.StringVar(&c.payloadFile, "payloads", "", "file with one payload per line")
	flag.DurationVar(&c.pause, "pause", time.Second, "pause between rounds")
	flag.StringVar(&c.report, "report", "", "write a CSV report of every round to this file")
	flag.Parse()
	return c
}

type roundResult struct {
	sent      int
	failed    int
	elapsed   time.Duration
	latencies []time.Duration
}

type recorder struct {
	rounds []roundResult
}

func (r *recorder) Add(res roundResult) { r.rounds = append(r.rounds, res) }

func (r *recorder) WriteSummary(w io.Writer) {
	var all []time.Duration
	sent, failed := 0, 0
	var elapsed time.Duration
	for _, rr := range r.rounds {
		all = append(all, rr.latencies...)
		sent += rr.sent
		failed += rr.failed
		elapsed += rr.elapsed
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	rate := 0.0
	if elapsed > 0 {
		rate = float64(sent) / elapsed.Seconds()
	}
	fmt.Fprintf(w, "rounds=%d sent=%d failed=%d rate=%.0f/s p50=%v p99=%v\n",
		len(r.rounds), sent, failed, rate, percentile(all, 0.50), percentile(all, 0.99))
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func randomPayload(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// loadPayloads reads payloads from path, or generates one random payload.
func loadPayloads(path string, size int) [][]byte {
	if path == "" {
		return [][]byte{randomPayload(size)}
	}
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("bench: %v", err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, []byte(line))
		}
	}
	if len(out) == 0 {
		fmt.Fprintf(os.Stderr, "bench: %s holds no payloads\n", path)
		os.Exit(2) // HAZ exit-skips-defer
	}
	return out
}

// runRound publishes cfg.perWorker messages from each worker.
func runRound(p *client.Producer, cfg benchConfig, payloads [][]byte) roundResult {
	var wg sync.WaitGroup
	var mu sync.Mutex
	res := roundResult{}
	start := time.Now()
	for w := 0; w < cfg.workers; w++ {
		wg.Add(1)
		go func() {
			local := make([]time.Duration, 0, cfg.perWorker)
			for i := 0; i < cfg.perWorker; i++ {
				t0 := time.Now()
				_, err := p.Send(context.Background(), cfg.topic, nil, payloads[(w+i)%len(payloads)])
				if err != nil {
					log.Printf("bench: worker %d: %v", w, err)
					mu.Lock()
					res.failed++
					mu.Unlock()
					return
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			res.sent += len(local)
			res.latencies = append(res.latencies, local...)
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// warmUp sends a few messages per worker; every worker signals completion
// with a deferred Done, whatever path it leaves by.
func warmUp(p *client.Producer, cfg benchConfig, payload []byte) int {
	var wg sync.WaitGroup
	errs := make(chan error, cfg.workers)
	for w := 0; w < cfg.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if _, err := p.Send(context.Background(), cfg.topic, nil, payload); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		log.Printf("bench: warm-up: %v", err)
		n++
	}
	return n
}

// writeReport writes one CSV line per round.
func writeReport(path string, rec *recorder) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintln(f, "round,sent,failed,elapsed_ms,p99_us"); err != nil {
		return err
	}
	for i, r := range rec.rounds {
		lat := append([]time.Duration(nil), r.latencies...)
		sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
		if _, err := fmt.Fprintf(f, "%d,%d,%d,%d,%d\n", i+1, r.sent, r.failed, r.elapsed.Milliseconds(), percentile(lat, 0.99).Microseconds()); err != nil {
			return err
		}
	}
	return nil
}

// readReport counts the rounds in an existing report; read-only.
func readReport(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := -1
	for sc.Scan() {
		n++
	}
	if n < 0 {
		n = 0
	}
	return n, sc.Err()
}

func main() {
	cfg := parseFlags()
	payloads := loadPayloads(cfg.payloadFile, cfg.size)
	if cfg.report != "" {
		if n, err := readReport(cfg.report); err == nil && n > 0 {
			log.Printf("bench: overwriting report with %d rounds", n)
		}
	}
	c, err := client.Dial(client.Config{Addrs: strings.Split(cfg.addrs, ",")})
	if err != nil {
		log.Fatalf("bench: %v", err)
	}
	defer c.Close()
	p := client.NewProducer(c)
	if failed := warmUp(p, cfg, payloads[0]); failed > 0 {
		log.Printf("bench: %d workers failed warm-up", failed)
	}
	rec := &recorder{}
	defer rec.WriteSummary(os.Stdout) // HAZ signal-skips-defer
	for round := 1; ; round++ {
		res := runRound(p, cfg, payloads)
		rec.Add(res)
		log.Printf("bench: round %d: sent=%d failed=%d in %v", round, res.sent, res.failed, res.elapsed)
		if cfg.report != "" {
			if err := writeReport(cfg.report, rec); err != nil {
				log.Printf("bench: report: %v", err)
			}
		}
		time.Sleep(cfg.pause)
	}
}
