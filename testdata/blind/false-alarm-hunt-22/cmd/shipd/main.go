// Command shipd reads log lines on stdin and ships them to the collector
// until it receives SIGTERM or SIGINT, then flushes what is queued.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"regexp"
	"syscall"

	"example.com/fah22/internal/shipper"
)

var tokenRE = regexp.MustCompile(`(?i)(authorization|token)=\S+`)

func main() {
	addr := flag.String("collector", "127.0.0.1:5140", "collector address")
	batch := flag.Int("batch", 500, "lines per batch")
	flag.Parse()
	lg := log.New(os.Stderr, "shipd ", log.LstdFlags)

	fwd := shipper.NewForwarder(*addr, *batch, lg)
	fwd.SetRedactor(func(s string) string { return tokenRE.ReplaceAllString(s, "$1=REDACTED") })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	done := make(chan struct{})
	go func() {
		defer close(done)
		fwd.Run(ctx)
	}()
	go func() {
		if err := fwd.Pump(ctx, os.Stdin); err != nil && ctx.Err() == nil {
			lg.Printf("shipd: stdin: %v", err)
		}
	}()

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	sig := <-sigs
	lg.Printf("shipd: %s, flushing", sig)
	cancel()
	<-done
}
