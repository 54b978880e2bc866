// Command prober probes HTTP targets and exports their health as metrics.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/fah19/internal/monitor"
)

// parseTargets parses "name=url,name=url".
func parseTargets(s string) ([]monitor.Target, error) {
	var out []monitor.Target
	for _, pair := range strings.Split(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		name, url, ok := strings.Cut(pair, "=")
		if !ok || name == "" || url == "" {
			return nil, fmt.Errorf("bad target %q, want name=url", pair)
		}
		out = append(out, monitor.Target{Name: name, URL: url})
	}
	if len(out) == 0 {
		return nil, errors.New("no targets")
	}
	return out, nil
}

// probeLoop sweeps the targets every interval until ctx is done.
func probeLoop(ctx context.Context, p *monitor.Prober, up map[string]*monitor.Gauge, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		results, err := p.Sweep(ctx)
		if err != nil {
			log.Printf("prober: %v", err)
		}
		for _, r := range results {
			v := 0.0
			if r.Up {
				v = 1
			}
			if g := up[r.Target]; g != nil {
				g.Set(v)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func main() {
	targetsFlag := flag.String("targets", "", "comma-separated name=url pairs")
	listen := flag.String("listen", ":9115", "address for /metrics")
	interval := flag.Duration("interval", 10*time.Second, "probe interval")
	flag.Parse()

	targets, err := parseTargets(*targetsFlag)
	if err != nil {
		log.Fatalf("prober: %v", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("prober: %v", err)
	}

	reg := monitor.NewRegistry()
	up := make(map[string]*monitor.Gauge, len(targets))
	for _, t := range targets {
		g := new(monitor.Gauge)
		up[t.Name] = g
		if err := reg.Register("probe_up_"+t.Name, "Whether the last probe succeeded.", g); err != nil {
			log.Printf("prober: %v", err)
		}
	}

	srv := &http.Server{Handler: reg, ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("prober: shutdown: %v", err)
		}
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("prober: %v", err)
		}
	}()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go probeLoop(ctx, monitor.NewProber(targets, 5*time.Second), up, *interval)

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	sig := <-sigc
	log.Printf("prober: got %v, shutting down", sig)
}
