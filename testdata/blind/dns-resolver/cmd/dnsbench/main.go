// Command dnsbench sends a bounded number of queries to a dnsd instance on
// this host and reports latency percentiles.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

type sample struct {
	name  string
	rcode dnsmsg.Rcode
	rtt   time.Duration
	err   error
}

type report struct {
	samples []sample
	elapsed time.Duration
}

func main() {
	server := flag.String("server", "127.0.0.1:53", "server to query (loopback only)")
	total := flag.Int("n", 1000, "number of queries")
	conc := flag.Int("c", 8, "concurrent workers")
	namesFile := flag.String("names", "", "file with one query name per line")
	csvOut := flag.String("csv", "", "write every sample to this CSV file")
	flag.Parse()

	if err := checkLoopback(*server); err != nil {
		log.Fatalf("dnsbench: %v", err)
	}
	names := []string{"example.com.", "www.example.com.", "nonexistent.example.com."}
	if *namesFile != "" {
		var err error
		if names, err = loadNames(*namesFile); err != nil {
			log.Fatalf("dnsbench: %v", err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	defer log.Printf("dnsbench: done (%d queries requested from %s)", *total, *server)
	rep := bench(ctx, *server, names, *total, *conc)
	rep.print(os.Stdout)
	if *csvOut != "" {
		if err := writeCSV(*csvOut, rep.samples); err != nil {
			log.Printf("dnsbench: %v", err)
		}
	}
}

// checkLoopback refuses to benchmark anything but this host.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not a loopback address", addr)
	}
	return nil
}

func loadNames(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, dnsmsg.Canonical(line))
		}
	}
	return names, sc.Err()
}

func bench(ctx context.Context, server string, names []string, total, conc int) *report {
	jobs := make(chan string)
	out := make(chan sample, conc)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker(ctx, server, jobs, out)
		}()
	}
	go func() {
		defer close(jobs)
		for i := range total {
			select {
			case jobs <- names[i%len(names)]:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(out)
	}()

	start := time.Now()
	rep := &report{}
	for s := range out {
		rep.samples = append(rep.samples, s)
	}
	rep.elapsed = time.Since(start)
	return rep
}

func worker(ctx context.Context, server string, jobs <-chan string, out chan<- sample) {
	conn, err := net.Dial("udp", server)
	if err != nil {
		out <- sample{err: err}
		return
	}
	defer conn.Close()
	buf := make([]byte, 4096)
	var id uint16
	for name := range jobs {
		id++
		s := query(conn, buf, id, name)
		select {
		case out <- s:
		case <-ctx.Done():
			return
		}
	}
}

func query(conn net.Conn, buf []byte, id uint16, name string) sample {
	s := sample{name: name}
	b, err := dnsmsg.NewQuery(id, name, dnsmsg.TypeA).Pack()
	if err != nil {
		s.err = err
		return s
	}
	start := time.Now()
	if err := conn.SetDeadline(start.Add(2 * time.Second)); err != nil {
		s.err = err
		return s
	}
	if _, err := conn.Write(b); err != nil {
		s.err = err
		return s
	}
	n, err := conn.Read(buf)
	s.rtt = time.Since(start)
	if err != nil {
		s.err = err
		return s
	}
	m, err := dnsmsg.Unpack(buf[:n])
	if err != nil {
		s.err = err
		return s
	}
	s.rcode = m.Rcode
	return s
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func (r *report) print(w io.Writer) {
	var rtts []time.Duration
	failed := 0
	rcodes := make(map[dnsmsg.Rcode]int)
	for _, s := range r.samples {
		if s.err != nil {
			failed++
			continue
		}
		rtts = append(rtts, s.rtt)
		rcodes[s.rcode]++
	}
	sort.Slice(rtts, func(i, j int) bool { return rtts[i] < rtts[j] })
	qps := float64(len(r.samples)) / r.elapsed.Seconds()
	fmt.Fprintf(w, "queries: %d  failed: %d  elapsed: %s  qps: %.0f\n", len(r.samples), failed, r.elapsed.Round(time.Millisecond), qps)
	fmt.Fprintf(w, "p50: %s  p90: %s  p99: %s\n", percentile(rtts, .5), percentile(rtts, .9), percentile(rtts, .99))
	for rc, n := range rcodes {
		fmt.Fprintf(w, "  %-9s %d\n", rc, n)
	}
}

func writeCSV(path string, samples []sample) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	if err := w.Write([]string{"name", "rcode", "rtt_us", "error"}); err != nil {
		return err
	}
	for _, s := range samples {
		errText := ""
		if s.err != nil {
			errText = s.err.Error()
		}
		rec := []string{s.name, s.rcode.String(), strconv.FormatInt(s.rtt.Microseconds(), 10), errText}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}
