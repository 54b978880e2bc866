// Command loadbot connects many scripted players to a game server and
// reports throughput, for capacity tests before a season launch.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"
)

var healthChecks atomic.Int64

func main() {
	addr := flag.String("addr", "localhost:7777", "game server address")
	adminURL := flag.String("admin", "http://localhost:9090", "admin API base URL (for the health check)")
	bots := flag.Int("bots", 50, "number of bots")
	dur := flag.Duration("duration", time.Minute, "test duration")
	secret := flag.String("secret", os.Getenv("GAMESRV_SECRET"), "player token HMAC secret")
	report := flag.String("report", "", "write a per-bot report to this file")
	flag.Parse()

	if *bots <= 0 {
		log.Fatal("loadbot: -bots must be positive")
	}
	if !checkHealth(*adminURL) {
		log.Fatalf("loadbot: %s is not healthy", *adminURL)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *dur)
	defer cancel()

	st := &stats{perBot: make(map[string]*counters)}
	var wg sync.WaitGroup
	for i := 0; i < *bots; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			b := &bot{
				id:         fmt.Sprintf("bot-%03d", n),
				addr:       *addr,
				secret:     []byte(*secret),
				stats:      st,
				maxRetries: 3,
				dialer:     net.Dialer{Timeout: 3 * time.Second},
			}
			if err := b.play(ctx); err != nil && ctx.Err() == nil {
				log.Printf("%s: %v", b.id, err)
			}
		}(i)
	}
	wg.Wait()
	st.print(os.Stdout)
	if *report != "" {
		if err := writeReport(*report, st); err != nil {
			log.Printf("loadbot: report: %v", err)
		}
	}
}

// checkHealth asks the admin API whether the server is up.
func checkHealth(base string) bool {
	resp, _ := http.Get(base + "/healthz")
	healthChecks.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode == http.StatusOK
}

type counters struct {
	inputs     int64
	states     int64
	reconnects int64
}

type stats struct {
	mu     sync.Mutex
	perBot map[string]*counters
}

func (s *stats) add(bot string, f func(c *counters)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.perBot[bot]
	if !ok {
		c = &counters{}
		s.perBot[bot] = c
	}
	f(c)
}

type row struct {
	bot string
	counters
}

func (s *stats) rows() []row {
	s.mu.Lock()
	out := make([]row, 0, len(s.perBot))
	for name, c := range s.perBot {
		out = append(out, row{bot: name, counters: *c})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].bot < out[j].bot })
	return out
}

func (s *stats) print(w io.Writer) {
	var in, states, rc int64
	rows := s.rows()
	for _, r := range rows {
		in, states, rc = in+r.inputs, states+r.states, rc+r.reconnects
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "bots\tinputs sent\tstates received\treconnects\n")
	fmt.Fprintf(tw, "%d\t%d\t%d\t%d\n", len(rows), in, states, rc)
	tw.Flush()
}

// writeReport writes one line per bot.
func writeReport(path string, st *stats) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintln(f, "bot inputs states reconnects"); err != nil {
		return err
	}
	for _, r := range st.rows() {
		if _, err := fmt.Fprintf(f, "%s %d %d %d\n", r.bot, r.inputs, r.states, r.reconnects); err != nil {
			return err
		}
	}
	return nil
}
