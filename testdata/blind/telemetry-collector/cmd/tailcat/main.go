// Command tailcat follows files like the filetail receiver does and prints
// the records to stdout; handy for checking include patterns.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/exporter/stdoutexp"
	"example.com/otelcol/internal/receiver/filetail"
)

func main() {
	poll := flag.Duration("poll", time.Second, "poll interval")
	checkpoint := flag.String("checkpoint", "", "offsets checkpoint file")
	runFor := flag.Duration("for", 0, "stop after this long (0: until interrupted)")
	dump := flag.String("dump-offsets", "", "write final offsets to this file")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: tailcat [flags] GLOB...")
		os.Exit(2)
	}

	logger := log.New(os.Stderr, "tailcat ", log.LstdFlags|log.Lmsgprefix)
	out := stdoutexp.New(os.Stdout, stdoutexp.Detailed)
	t := filetail.New(filetail.Config{Include: flag.Args(), Poll: *poll, CheckpointPath: *checkpoint}, out, logger)
	if err := t.Start(context.Background(), component.NewFatalHost()); err != nil {
		log.Fatalf("tailcat: %v", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := t.Shutdown(ctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
		if err := out.Shutdown(ctx); err != nil {
			logger.Printf("flush stdout: %v", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var deadline <-chan time.Time
	if *runFor > 0 {
		deadline = time.After(*runFor)
	}
	select {
	case <-ctx.Done():
	case <-deadline:
	}
	if *dump != "" {
		if err := t.DumpOffsets(*dump); err != nil {
			log.Fatalf("tailcat: dump offsets: %v", err) // HAZ exit-skips-defer
		}
	}
}
