// Command hbprobe sends heartbeats to a matchmaker and reports round trips
// and loss. It exits 1 when any probe was lost, for use in health checks.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"example.com/matchmaker/internal/heartbeat"
)

type result struct {
	id  string
	rtt time.Duration
}

// printReport writes the round trips sorted from slowest to fastest.
func printReport(w io.Writer, rtts map[string]time.Duration, ids []string) (lost int) {
	results := make([]result, 0, len(rtts))
	for id, d := range rtts {
		results = append(results, result{id, d})
	}
	sort.Slice(results, func(i, j int) bool { return results[i].rtt > results[j].rtt })
	for _, r := range results {
		fmt.Fprintf(w, "%-16s %8.2fms\n", r.id, float64(r.rtt.Microseconds())/1000)
	}
	for _, id := range ids {
		if _, ok := rtts[id]; !ok {
			fmt.Fprintf(w, "%-16s lost\n", id)
			lost++
		}
	}
	return lost
}

// seriesReport probes one player count times and prints a table of round
// trips; it returns how many probes were lost.
func seriesReport(p *heartbeat.Prober, id string, count int, logger *log.Logger) int {
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintln(tw, "seq\trtt\t")
	lost := 0
	for seq := 1; seq <= count; seq++ {
		rtt, err := p.Ping(id, uint32(seq))
		switch {
		case errors.Is(err, heartbeat.ErrNoEcho):
			lost++
			fmt.Fprintf(tw, "%d\tlost\t\n", seq)
		case err != nil:
			logger.Fatalf("hbprobe: seq %d: %v", seq, err) // HAZ exit-skips-defer
		default:
			fmt.Fprintf(tw, "%d\t%s\t\n", seq, rtt.Round(time.Microsecond))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return lost
}

// main exits with os.Exit only on paths before any defer, and otherwise
// through a deferred exit that runs after every other deferred call.
func main() {
	server := flag.String("server", "127.0.0.1:7777", "heartbeat address")
	players := flag.String("players", "probe-1,probe-2,probe-3", "comma-separated player ids")
	timeout := flag.Duration("timeout", time.Second, "echo timeout")
	series := flag.Int("series", 0, "if > 0, send this many sequential beats for the first player")
	flag.Parse()

	ids := strings.Split(*players, ",")
	if len(ids) == 0 || ids[0] == "" {
		fmt.Fprintln(os.Stderr, "hbprobe: -players is empty")
		os.Exit(2)
	}
	p, err := heartbeat.NewProber(*server, *timeout)
	if err != nil {
		log.Fatalf("hbprobe: %v", err)
	}

	code := 0
	defer func() { os.Exit(code) }()
	defer log.Printf("hbprobe: probed %s for %d players", *server, len(ids))

	if *series > 0 {
		logger := log.New(os.Stderr, "", log.LstdFlags)
		if lost := seriesReport(p, ids[0], *series, logger); lost > 0 {
			code = 1
		}
		return
	}
	if lost := printReport(os.Stdout, p.PingAll(ids), ids); lost > 0 {
		code = 1
	}
}
