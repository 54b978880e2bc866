// Command tailcat prints log files through the agent's tailer, either once
// (backfill) or following them.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/receiver"
	"example.com/obsagent/internal/telemetry"
)

func main() {
	follow := flag.Bool("f", false, "follow the files")
	state := flag.String("state", "", "offsets file (follow mode)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: tailcat [-f] [-state file] glob...\n")
		flag.PrintDefaults()
		os.Exit(2) // ok: inside a function literal
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
	}
	paths := receiver.Discover(flag.Args())
	if len(paths) == 0 {
		log.Fatalf("tailcat: no readable files match %v", flag.Args()) // ok: nothing deferred yet
	}

	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	defer func() {
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, "tailcat:", err)
		}
	}()
	print := func(r pdata.Record) { fmt.Fprintf(out, "%s: %s\n", r.Attrs["file"], r.Body) }

	if !*follow {
		if _, err := receiver.BackfillEach(paths, print); err != nil {
			log.Fatalf("tailcat: %v", err) // HAZ exit-skips-defer
		}
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t := receiver.NewTailer(paths, *state, telemetry.NewRegistry())
	if err := t.Restore(); err != nil {
		fmt.Fprintln(os.Stderr, "tailcat: ignoring state:", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- t.RunAndSave(ctx) }() // ok: buffered
	for r := range t.Out() {
		print(r)
		if len(t.Out()) == 0 {
			out.Flush()
		}
	}
	if err := <-errc; err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "tailcat:", err)
	}
}
