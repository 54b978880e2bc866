// Command dnsbench measures a DNS server's latency and throughput with a
// fixed number of concurrent clients.
package main

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

type benchConfig struct {
	server     string
	proto      string
	workers    int
	duration   time.Duration
	names      []string
	cpuProfile string
	soakRound  time.Duration
}

type stats struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
	sent      atomic.Int64
}

func (st *stats) record(d time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.latencies = append(st.latencies, d)
}

// summary is a point-in-time copy of the counters.
type summary struct {
	queries int
	errors  int
	sent    int64
}

func (st *stats) summary() summary {
	st.mu.Lock()
	defer st.mu.Unlock()
	return summary{queries: len(st.latencies), errors: st.errors, sent: st.sent.Load()}
}

func (s summary) print(w io.Writer) {
	fmt.Fprintf(w, "queries=%d errors=%d sent=%d\n", s.queries, s.errors, s.sent)
}

func (st *stats) fail(err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.errors++
	if st.errors <= 5 {
		log.Printf("query error: %v", err)
	}
}

func main() {
	code := 0
	defer func() { os.Exit(code) }()
	var cfg benchConfig
	flag.StringVar(&cfg.server, "server", "127.0.0.1:53", "server address")
	flag.StringVar(&cfg.proto, "proto", "udp", "udp or tcp")
	flag.IntVar(&cfg.workers, "c", 8, "concurrent clients")
	flag.DurationVar(&cfg.duration, "d", 10*time.Second, "test duration")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the client")
	flag.DurationVar(&cfg.soakRound, "soak", 0, "run in rounds of this length and print totals")
	flag.Parse()
	cfg.names = flag.Args()
	if len(cfg.names) == 0 {
		cfg.names = []string{"example.com", "example.net", "example.org"}
	}
	code = run(cfg)
}

func run(cfg benchConfig) int {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, cfg.duration)
	defer cancelTimeout()

	var stopCPU func()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			log.Print(err)
			return 1
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Print(err)
			return 1
		}
		stopCPU = func() {
			pprof.StopCPUProfile()
			f.Close()
		}
	}
	defer stopCPU() // HAZ defer-nil-func

	st := &stats{}
	start := time.Now()
	if cfg.soakRound > 0 {
		soak(ctx, cfg, st, cfg.soakRound)
	} else {
		benchmark(ctx, cfg, st)
	}
	report(os.Stdout, st, time.Since(start))
	if st.errors > 0 {
		return 1
	}
	return 0
}

// soak runs the workers in fixed-length rounds until ctx ends and prints
// the totals at the end.
func soak(ctx context.Context, cfg benchConfig, st *stats, round time.Duration) {
	defer st.summary().print(os.Stderr) // HAZ defer-call-chain
	for n := 1; ctx.Err() == nil; n++ {
		rctx, cancel := context.WithTimeout(ctx, round)
		runWorkers(rctx, cfg, st)
		cancel()
		log.Printf("soak: round %d done, %d queries so far", n, st.sent.Load())
	}
}

// benchmark warms the server's cache, then runs the workers.
func benchmark(ctx context.Context, cfg benchConfig, st *stats) {
	defer startProgress(ctx, st) // HAZ defer-func-result-not-called
	if err := prime(cfg); err != nil {
		log.Printf("prime: %v", err)
	}
	runWorkers(ctx, cfg, st)
}

// startProgress prints the query rate every second until stop is called.
func startProgress(ctx context.Context, st *stats) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		var last int64
		for {
			select {
			case <-ctx.Done():
				return
			case <-done:
				return
			case <-t.C:
				n := st.sent.Load()
				fmt.Fprintf(os.Stderr, "\r%6d qps", n-last)
				last = n
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// prime resolves every name once so that the measured run hits the cache.
func prime(cfg benchConfig) error {
	errs := make(chan error, len(cfg.names))
	pending := 0
	for i := 0; i < len(cfg.names); i++ {
		go func() { // HAZ loop-var-capture
			_, err := exchangeOnce(cfg, cfg.names[i])
			errs <- err
		}()
		pending++
	}
	for ; pending > 0; pending-- {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// runWorkers runs cfg.workers clients until ctx is done.
func runWorkers(ctx context.Context, cfg benchConfig, st *stats) {
	var wg sync.WaitGroup
	for w := 0; w < cfg.workers; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			conn, err := net.Dial(cfg.proto, cfg.server)
			if err != nil {
				st.fail(err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			defer conn.Close()
			worker(ctx, conn, cfg, st, id)
		}(w)
	}
	if cfg.proto == "tcp" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := tcpPipeline(ctx, cfg, st); err != nil {
				st.fail(err)
			}
		}()
	}
	wg.Wait()
}

// worker sends queries on conn back to back until ctx is done.
func worker(ctx context.Context, conn net.Conn, cfg benchConfig, st *stats, id int) {
	rng := rand.New(rand.NewSource(int64(id) + time.Now().UnixNano()))
	for ctx.Err() == nil {
		name := cfg.names[rng.Intn(len(cfg.names))]
		q, err := dnsmsg.NewQuery(uint16(rng.Intn(1<<16)), name, dnsmsg.TypeA)
		if err != nil {
			st.fail(err)
			return
		}
		start := time.Now()
		_ = conn.SetDeadline(start.Add(2 * time.Second))
		if _, err := roundTrip(conn, cfg.proto, q); err != nil {
			st.fail(err)
			continue
		}
		st.sent.Add(1)
		st.record(time.Since(start))
	}
}

// exchangeOnce sends one query on a fresh connection.
func exchangeOnce(cfg benchConfig, name string) ([]byte, error) {
	q, err := dnsmsg.NewQuery(uint16(rand.Intn(1<<16)), name, dnsmsg.TypeA)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout(cfg.proto, cfg.server, 2*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	return roundTrip(conn, cfg.proto, q)
}

// roundTrip writes q and reads the answer with the matching ID.
func roundTrip(conn net.Conn, proto string, q []byte) ([]byte, error) {
	if proto == "tcp" {
		frame := binary.BigEndian.AppendUint16(nil, uint16(len(q)))
		if _, err := conn.Write(append(frame, q...)); err != nil {
			return nil, err
		}
		var lenBuf [2]byte
		if _, err := io.ReadFull(conn, lenBuf[:]); err != nil {
			return nil, err
		}
		resp := make([]byte, binary.BigEndian.Uint16(lenBuf[:]))
		_, err := io.ReadFull(conn, resp)
		return resp, err
	}
	if _, err := conn.Write(q); err != nil {
		return nil, err
	}
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return nil, err
		}
		if dnsmsg.ID(buf[:n]) == dnsmsg.ID(q) {
			return buf[:n], nil
		}
	}
}

// report prints throughput and latency percentiles.
func report(w io.Writer, st *stats, elapsed time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	lat := append([]time.Duration(nil), st.latencies...)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	qps := float64(len(lat)) / elapsed.Seconds()
	fmt.Fprintf(w, "\nqueries=%d errors=%d qps=%.0f\n", len(lat), st.errors, qps)
	for _, p := range []float64{50, 90, 99, 99.9} {
		fmt.Fprintf(w, "p%-5g %v\n", p, percentile(lat, p))
	}
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

// tcpPipeline keeps one TCP connection busy and reconnects after errors,
// to measure the server's connection handling under churn.
func tcpPipeline(ctx context.Context, cfg benchConfig, st *stats) error {
	conn, err := net.Dial("tcp", cfg.server)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for ctx.Err() == nil {
		q, err := dnsmsg.NewQuery(uint16(rand.Intn(1<<16)), cfg.names[0], dnsmsg.TypeA)
		if err != nil {
			return err
		}
		start := time.Now()
		_ = conn.SetDeadline(start.Add(2 * time.Second))
		if _, err := roundTrip(conn, "tcp", q); err != nil {
			st.fail(err)
			conn.Close()
			if conn, err = net.Dial("tcp", cfg.server); err != nil {
				return err
			}
			continue
		}
		st.sent.Add(1)
		st.record(time.Since(start))
	}
	return nil
}
