// Command upstream-monitor probes the proxy's upstreams and appends their
// latency to a rotating status log, for dashboards that cannot scrape the
// proxy's metrics endpoint.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"

	"example.com/dnsproxy/internal/config"
	"example.com/dnsproxy/internal/dnsmsg"
	"example.com/dnsproxy/internal/querylog"
	"example.com/dnsproxy/internal/upstream"
)

type sample struct {
	addr string
	rtt  time.Duration
	err  error
}

func main() {
	cfgPath := flag.String("config", "/etc/dnsproxy/dnsproxy.conf", "proxy configuration")
	interval := flag.Duration("interval", 30*time.Second, "probe interval")
	once := flag.Bool("once", false, "probe once and exit non-zero if an upstream is down")
	lockPath := flag.String("lock", "/run/dnsproxy/upstream-check.lock", "lock file for -once")
	flag.Parse()
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		die("config: %v", err)
	}
	pool := newPool(cfg)
	if *once {
		checkOnce(pool, cfg.UpstreamTimeout, *lockPath)
		return
	}
	rot, err := querylog.NewRotator(cfg.QueryLogDir, "upstreams", 8<<20, 5)
	if err != nil {
		die("status log: %v", err)
	}
	defer func() {
		if err := rot.Close(); err != nil {
			log.Printf("status log: %v", err)
		}
	}()
	pool.Start()
	defer pool.Stop()
	go report(pool, rot, *interval)
	select {} // HAZ signal-skips-defer
}

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "upstream-monitor: "+format+"\n", args...)
	os.Exit(1)
}

func newPool(cfg config.Config) *upstream.Pool {
	ups := make([]*upstream.Upstream, 0, len(cfg.Upstreams))
	for _, addr := range cfg.Upstreams {
		ups = append(ups, upstream.New(addr, cfg.UpstreamNet, cfg.UpstreamTimeout))
	}
	return upstream.NewPool(ups, cfg.HealthInterval, cfg.UpstreamTimeout)
}

// checkOnce probes every upstream once; it is run from cron, so a lock
// file keeps two runs from overlapping.
func checkOnce(pool *upstream.Pool, timeout time.Duration, lockPath string) {
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		die("another check is running: %v", err)
	}
	if err := f.Close(); err != nil {
		die("lock: %v", err)
	}
	defer os.Remove(lockPath)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	down := 0
	for addr, err := range pool.ProbeAll(ctx) {
		if err != nil {
			log.Printf("%s: %v", addr, err)
			down++
		}
	}
	if down > 0 {
		die("%d of %d upstreams down", down, len(pool.Upstreams())) // HAZ exit-skips-defer
	}
}

// report measures the upstreams every interval, forever.
func report(pool *upstream.Pool, w io.Writer, interval time.Duration) {
	q, err := dnsmsg.NewQuery(1, ".", dnsmsg.TypeNS)
	if err != nil {
		log.Printf("report: %v", err)
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), interval/2)
		samples := measure(ctx, pool.Upstreams(), q)
		cancel()
		writeStatus(w, samples)
	}
}

// measure times one query per healthy upstream, concurrently.
func measure(ctx context.Context, ups []*upstream.Upstream, q []byte) []sample {
	out := make([]sample, len(ups))
	var wg sync.WaitGroup
	for i, u := range ups {
		wg.Add(1)
		go func(i int, u *upstream.Upstream) {
			out[i].addr = u.Addr
			if !u.Healthy() {
				out[i].err = fmt.Errorf("marked down")
				return
			}
			start := time.Now()
			_, err := u.Exchange(ctx, q)
			out[i].rtt, out[i].err = time.Since(start), err
			wg.Done() // HAZ waitgroup-done-path
		}(i, u)
	}
	wg.Wait()
	return out
}

// writeStatus appends one line per upstream; a formatting problem must
// not stop the monitor.
func writeStatus(w io.Writer, samples []sample) {
	defer recover() // HAZ recover-ineffective
	now := time.Now().UTC().Format(time.RFC3339)
	for _, s := range samples {
		status := "ok"
		if s.err != nil {
			status = s.err.Error()
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", now, s.addr, s.rtt.Microseconds(), status)
	}
}
