// Command filesink accepts the TCP line protocol and appends every record
// to a rotating, compressed file; a minimal archive node.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/exporter/fileexp"
	"example.com/otelcol/internal/receiver/tcpline"
)

func main() {
	addr := flag.String("addr", ":5170", "line protocol listen address")
	out := flag.String("out", "sink/records.jsonl", "output file")
	flag.Parse()

	logger := log.New(os.Stderr, "filesink ", log.LstdFlags|log.Lmsgprefix)
	host := component.NewFatalHost()
	exp := fileexp.New(fileexp.Config{Path: *out, Compress: true}, logger)
	if err := exp.Start(context.Background(), host); err != nil {
		log.Fatalf("filesink: %v", err)
	}
	rcv := tcpline.New(tcpline.Config{Endpoint: *addr}, exp, logger)
	if err := rcv.Start(context.Background(), host); err != nil {
		_ = exp.Shutdown(context.Background())
		log.Fatalf("filesink: %v", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := rcv.Shutdown(ctx); err != nil {
			logger.Printf("receiver: %v", err)
		}
		if err := exp.Shutdown(ctx); err != nil {
			logger.Printf("flush: %v", err)
		}
	}()
	logger.Printf("listening on %s", rcv.Addr())

	go func() {
		for err := range host.Errors() {
			logger.Printf("component error: %v", err)
		}
	}()
	select {} // HAZ signal-skips-defer
}
