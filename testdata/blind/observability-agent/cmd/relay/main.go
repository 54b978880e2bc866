// Command relay receives line-protocol records over TCP, batches them and
// forwards them to an upstream agent.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"time"

	"example.com/obsagent/internal/exporter"
	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/processor"
	"example.com/obsagent/internal/receiver"
	"example.com/obsagent/internal/telemetry"
)

func main() {
	listen := flag.String("listen", ":2003", "TCP listen address")
	upstream := flag.String("upstream", "collector:2003", "upstream agent")
	debugAddr := flag.String("debug-tcp", "", "serve a synchronous debug listener")
	flag.Parse()

	reg := telemetry.NewRegistry()
	records := make(chan pdata.Record, 4096)
	batches := make(chan pdata.Batch, 32)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	recv := receiver.NewTCPReceiver(*listen, records, reg)
	if err := recv.Start(ctx); err != nil {
		log.Printf("relay: %v", err)
		return
	}
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		if err := recv.Shutdown(sctx); err != nil {
			log.Printf("relay: shutdown: %v", err)
		}
	}()

	if *debugAddr != "" {
		ln, err := net.Listen("tcp", *debugAddr)
		if err != nil {
			log.Printf("relay: debug listener: %v", err)
			return
		}
		go recv.ServeDebugFixed(ln)
	}

	b := processor.NewBatcher(records, batches, reg)
	go func() {
		if err := b.Run(ctx); err != nil && ctx.Err() == nil {
			log.Printf("relay: batcher: %v", err)
		}
	}()

	fwd := &exporter.TCPForwarder{Addr: *upstream, DialTimeout: 5 * time.Second}
	go func() {
		for batch := range batches {
			if err := fwd.Export(ctx, batch); err != nil {
				log.Printf("relay: forward batch %d: %v", batch.ID, err)
			}
		}
	}()

	log.Printf("relay: %s -> %s", *listen, *upstream)
	select {} // HAZ signal-skips-defer
}
