// Command signal-probe measures signalling round-trip times to one or more
// SFU nodes and prints a summary, for use from cron and health dashboards.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"time"

	"example.com/confsfu/internal/proto"
)

type summary struct {
	rtts     map[string][]time.Duration
	failures map[string]int
}

func newSummary() *summary {
	return &summary{rtts: make(map[string][]time.Duration), failures: make(map[string]int)}
}

func (s *summary) ok(addr string, rtt time.Duration) {
	s.rtts[addr] = append(s.rtts[addr], rtt)
}

func (s *summary) fail(addr string) {
	s.failures[addr]++
}

// print writes one line per probed address: count, failures, median RTT.
func (s *summary) print(w io.Writer) {
	addrs := make([]string, 0, len(s.rtts)+len(s.failures))
	seen := make(map[string]bool)
	for a := range s.rtts {
		addrs, seen[a] = append(addrs, a), true
	}
	for a := range s.failures {
		if !seen[a] {
			addrs = append(addrs, a)
		}
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		rtts := s.rtts[a]
		sort.Slice(rtts, func(i, j int) bool { return rtts[i] < rtts[j] })
		var median time.Duration
		if len(rtts) > 0 {
			median = rtts[len(rtts)/2]
		}
		fmt.Fprintf(w, "%-24s ok=%d failed=%d median=%v\n", a, len(rtts), s.failures[a], median)
	}
}

// writeCSV writes one row per successful probe, for spreadsheet import.
func (s *summary) writeCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"addr", "rtt_us"}); err != nil {
		return err
	}
	for addr, rtts := range s.rtts {
		for _, rtt := range rtts {
			if err := cw.Write([]string{addr, strconv.FormatInt(rtt.Microseconds(), 10)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// die reports a fatal error and exits with status 2.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "signal-probe: "+format+"\n", args...)
	os.Exit(2)
}

// probe opens a signalling connection, sends PING and waits for PONG.
func probe(addr string, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	nc, err := net.DialTimeout("tcp", addr, timeout)
	defer nc.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	c := proto.NewConn(nc, timeout)
	if err := c.Send(proto.Frame{Op: proto.OpPing}); err != nil {
		return 0, err
	}
	f, err := c.RecvTimeout(timeout)
	if err != nil {
		return 0, err
	}
	if f.Op != proto.OpPong {
		return 0, fmt.Errorf("expected PONG, got %s", f.Op)
	}
	return time.Since(start), nil
}

func main() {
	count := flag.Int("n", 3, "probes per address")
	timeout := flag.Duration("timeout", 2*time.Second, "per-probe timeout")
	failFast := flag.Bool("fail-fast", false, "exit on the first failed probe")
	csvOut := flag.String("csv", "", "also write raw results to this CSV file")
	flag.Parse()
	if flag.NArg() == 0 {
		die("usage: signal-probe [-n N] [-timeout D] [-fail-fast] host:port...")
	}

	sum := newSummary()
	defer sum.print(os.Stdout)
	for _, addr := range flag.Args() {
		for i := 0; i < *count; i++ {
			rtt, err := probe(addr, *timeout)
			if err != nil {
				if *failFast {
					die("%s: %v", addr, err) // HAZ exit-skips-defer
				}
				sum.fail(addr)
				continue
			}
			sum.ok(addr, rtt)
		}
	}
	if *csvOut != "" {
		if err := sum.writeCSV(*csvOut); err != nil {
			fmt.Fprintf(os.Stderr, "signal-probe: %v\n", err)
		}
	}
}
