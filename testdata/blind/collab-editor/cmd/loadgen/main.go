// Command loadgen simulates many editors typing into one document over the
// live protocol and reports ack latencies.
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
	"math/rand"
	"net"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/collab/internal/ot"
	"example.com/collab/internal/wire"
)

const (
	dialTimeout  = 5 * time.Second
	writeTimeout = 5 * time.Second
	ackTimeout   = 3 * time.Second
)

type config struct {
	addr    string
	docID   string
	token   string
	clients int
	ops     int
	rampUp  time.Duration
	csvPath string
}

type result struct {
	name      string
	latencies []time.Duration
	timeouts  int
	err       error
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", "127.0.0.1:7070", "collabd live address")
	flag.StringVar(&cfg.docID, "doc", "loadtest", "document to edit")
	flag.StringVar(&cfg.token, "token", os.Getenv("COLLAB_TOKEN"), "client token")
	flag.IntVar(&cfg.clients, "clients", 10, "concurrent clients")
	flag.IntVar(&cfg.ops, "ops", 100, "operations per client")
	flag.DurationVar(&cfg.rampUp, "ramp", 10*time.Millisecond, "delay between client starts")
	flag.StringVar(&cfg.csvPath, "csv", "", "also write every latency to this CSV file")
	flag.Parse()
	return cfg
}

func main() {
	cfg := parseFlags()
	if cfg.clients <= 0 || cfg.ops <= 0 {
		log.Fatal("loadgen: -clients and -ops must be positive")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := waitReady(ctx, cfg.addr, 20); err != nil {
		log.Printf("loadgen: %v", err)
		return
	}
	start := time.Now()
	results := runClients(ctx, cfg)
	summarize(os.Stdout, results, time.Since(start))
	if cfg.csvPath != "" {
		if err := writeCSV(cfg.csvPath, results); err != nil {
			log.Printf("loadgen: %v", err)
		}
	}
}

// writeCSV writes one row per acknowledged op.
func writeCSV(path string, results []result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"client", "op", "latency_ms"}); err != nil {
		return err
	}
	for _, r := range results {
		for i, l := range r.latencies {
			ms := strconv.FormatFloat(float64(l)/float64(time.Millisecond), 'f', 3, 64)
			if err := cw.Write([]string{r.name, strconv.Itoa(i), ms}); err != nil {
				return err
			}
		}
	}
	return nil
}

// waitReady dials addr until it accepts a connection or attempts run out.
func waitReady(ctx context.Context, addr string, attempts int) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = probeOnce(addr); err == nil {
			return nil
		}
		select {
		case <-time.After(250 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return fmt.Errorf("server at %s not ready: %w", addr, err)
}

func probeOnce(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	return nil
}

// runClients runs cfg.clients simulated editors concurrently.
func runClients(ctx context.Context, cfg config) []result {
	results := make([]result, cfg.clients)
	var wg sync.WaitGroup
	for i := 0; i < cfg.clients; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			results[i] = clientWorker(ctx, cfg, "load-"+strconv.Itoa(i))
		}()
		if cfg.rampUp > 0 {
			time.Sleep(cfg.rampUp)
		}
	}
	wg.Wait()
	return results
}

// clientWorker runs one simulated editor; a crash in one must not end the run.
func clientWorker(ctx context.Context, cfg config, name string) result {
	defer recover() // HAZ recover-ineffective
	return simulate(ctx, cfg, name)
}

// simulate connects, says hello and drives cfg.ops edits.
func simulate(ctx context.Context, cfg config, name string) result {
	conn, err := net.DialTimeout("tcp", cfg.addr, dialTimeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return result{name: name, err: err}
	}
	if err := wire.WriteHello(conn, wire.Hello{Client: name, Doc: cfg.docID, Token: cfg.token}); err != nil {
		return result{name: name, err: err}
	}
	hello, err := wire.ReadHello(conn)
	if err != nil {
		return result{name: name, err: fmt.Errorf("handshake: %w", err)}
	}
	return drive(ctx, wire.NewConn(conn, wire.DefaultMaxFrame), name, hello.Version, cfg.ops)
}

// drive sends ops one at a time and waits for each ack.
func drive(ctx context.Context, wc *wire.Conn, name string, base uint64, ops int) result {
	res := result{name: name}
	acks := make(chan uint64)
	done := make(chan struct{})
	defer close(done)
	go readAcks(wc, acks, done)

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for i := 0; i < ops; i++ {
		op := randomOp(rng, name, base, uint64(i))
		p, err := json.Marshal(op)
		if err != nil {
			res.err = err
			return res
		}
		sent := time.Now()
		if err := wc.Write(wire.Frame{Type: wire.TypeOp, Payload: p}, writeTimeout); err != nil {
			res.err = err
			return res
		}
		select {
		case v := <-acks:
			base = v
			res.latencies = append(res.latencies, time.Since(sent))
		case <-time.After(ackTimeout):
			res.timeouts++
		case <-ctx.Done():
			res.err = ctx.Err()
			return res
		}
	}
	return res
}

// readAcks forwards the version of every ack until the connection fails or
// done is closed.
func readAcks(wc *wire.Conn, acks chan<- uint64, done <-chan struct{}) {
	for {
		f, err := wc.Read()
		if err != nil {
			return
		}
		if f.Type != wire.TypeAck {
			continue
		}
		vs, _, _ := strings.Cut(string(f.Payload), " ")
		v, err := strconv.ParseUint(vs, 10, 64)
		if err != nil {
			continue
		}
		select {
		case acks <- v:
		case <-done:
			return
		}
	}
}

// randomOp types a word at the start of the document or deletes a rune.
func randomOp(rng *rand.Rand, name string, base, seq uint64) ot.Op {
	if seq%5 == 4 {
		return ot.Op{Kind: ot.Delete, Pos: 0, Len: 1, Base: base, Client: name, Seq: seq}
	}
	words := []string{"lorem ", "ipsum ", "dolor ", "sit ", "amet "}
	return ot.Op{Kind: ot.Insert, Pos: 0, Text: words[rng.Intn(len(words))], Base: base, Client: name, Seq: seq}
}

// summarize prints throughput and latency percentiles.
func summarize(w io.Writer, results []result, elapsed time.Duration) {
	var all []time.Duration
	failed, timeouts := 0, 0
	for _, r := range results {
		if r.err != nil && !errors.Is(r.err, context.Canceled) {
			failed++
			fmt.Fprintf(w, "%s: %v\n", r.name, r.err)
		}
		timeouts += r.timeouts
		all = append(all, r.latencies...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	fmt.Fprintf(w, "clients=%d failed=%d acks=%d timeouts=%d elapsed=%s rate=%.1f/s\n",
		len(results), failed, len(all), timeouts, elapsed.Round(time.Millisecond),
		float64(len(all))/elapsed.Seconds())
	for _, q := range []float64{0.5, 0.9, 0.99} {
		fmt.Fprintf(w, "p%g=%s ", q*100, percentile(all, q))
	}
	fmt.Fprintln(w)
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q * float64(len(sorted)-1))
	return sorted[i]
}
