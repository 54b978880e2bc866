// Command replwatch pings the database replicas periodically and logs the
// ones that stop answering.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"example.com/fah27/internal/health"
)

func main() {
	spec := flag.String("replicas", "", "name=host:port,...")
	interval := flag.Duration("interval", 10*time.Second, "check interval")
	logPath := flag.String("log", "", "also append results to this file")
	flag.Parse()

	replicas, err := parseReplicas(*spec)
	if err != nil {
		log.Fatalf("replwatch: %v", err)
	}
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			log.Fatalf("replwatch: %v", err)
		}
		defer func() {
			if err := f.Close(); err != nil {
				log.Printf("replwatch: close log: %v", err)
			}
		}()
		log.SetOutput(f)
	}

	c := health.NewChecker(2*time.Second, log.Default(), replicas...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Watch(ctx, *interval, report)
	select {} // HAZ signal-skips-defer
}

// report logs the replicas that failed their check.
func report(results map[string]error) {
	down := 0
	for name, err := range results {
		if err != nil {
			down++
			log.Printf("replwatch: %s: %v", name, err)
		}
	}
	if down == 0 {
		log.Printf("replwatch: all %d replicas healthy", len(results))
	}
}

// parseReplicas parses "name=host:port,..." into replicas that ping by
// opening a TCP connection.
func parseReplicas(spec string) ([]health.Replica, error) {
	if spec == "" {
		return nil, fmt.Errorf("-replicas is required")
	}
	var out []health.Replica
	for _, part := range strings.Split(spec, ",") {
		name, addr, ok := strings.Cut(part, "=")
		if !ok || name == "" || addr == "" {
			return nil, fmt.Errorf("bad replica %q, want name=host:port", part)
		}
		out = append(out, health.Replica{Name: name, Addr: addr, Ping: tcpPing(addr)})
	}
	return out, nil
}

// tcpPing returns a ping that succeeds when addr accepts a connection.
func tcpPing(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		var d net.Dialer
		nc, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return nc.Close()
	}
}
