// Command queued runs only the delivery queue, for hosts that receive mail
// elsewhere and share the spool over NFS.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/mailsrv/internal/delivery"
	"example.com/mailsrv/internal/dnsmx"
	"example.com/mailsrv/internal/metrics"
	"example.com/mailsrv/internal/queue"
	"example.com/mailsrv/internal/spool"
	"example.com/mailsrv/internal/spoolq"
)

func main() {
	spoolDir := flag.String("spool", "/var/spool/mailsrv", "spool directory")
	hostname := flag.String("hostname", "", "EHLO name (default: system host name)")
	every := flag.Duration("every", time.Minute, "queue run interval")
	workers := flag.Int("workers", 8, "concurrent deliveries")
	flag.Parse()

	sp, err := spool.Open(*spoolDir)
	if err != nil {
		log.Fatalf("queued: %v", err)
	}
	if *hostname == "" {
		if *hostname, err = os.Hostname(); err != nil {
			log.Fatalf("queued: %v", err)
		}
	}
	m := metrics.New()
	dc := &delivery.Client{
		Hostname: *hostname,
		Resolver: dnsmx.NewResolver(10*time.Second, 10*time.Minute),
		Timeout:  5 * time.Minute,
		TLS:      &tls.Config{MinVersion: tls.VersionTLS12},
		Metrics:  m,
	}
	r := queue.NewRunner(queue.Config{Workers: *workers, PerDomain: 2, MaxAge: 5 * 24 * time.Hour},
		spoolq.NewStore(sp), dc, m, log.Default())

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	defer func() { m.Snapshot().LogTo(log.Default()) }()

	tick := time.NewTicker(*every)
	defer tick.Stop()
	for {
		select {
		case s := <-sigs:
			log.Printf("queued: %v, stopping", s)
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), *every)
			if err := runAndReport(ctx, r, m); err != nil {
				log.Printf("queued: %v", err)
			}
			cancel()
		}
	}
}

// runAndReport runs the queue once and logs the counters of that run.
func runAndReport(ctx context.Context, r *queue.Runner, m *metrics.Counters) error {
	defer m.Swap().LogTo(log.Default()) // HAZ defer-call-chain
	return r.RunOnce(ctx)
}
