// Command up11ctl runs maintenance commands against an up11 state
// directory: compaction, exports, warm-ups.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"

	"example.com/up11/internal/dispatch"
	"example.com/up11/internal/metrics"
)

// die prints the message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "up11ctl: "+format+"\n", args...)
	os.Exit(1)
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: up11ctl [-state dir] command [args]\n")
	flag.PrintDefaults()
}

type stderrPublisher struct{}

func (stderrPublisher) Publish(k string, v int64) { fmt.Fprintf(os.Stderr, "%s=%d\n", k, v) }

func main() {
	state := flag.String("state", "/var/lib/up11", "state directory")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}

	lk, err := acquireLock(filepath.Join(*state, "up11ctl.lock"))
	if err != nil {
		die("%v", err)
	}
	defer lk.Release()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	logger := log.New(os.Stderr, "up11ctl ", 0)
	tr := metrics.NewTracer(metrics.NewMemRecorder())
	table := dispatch.NewTable(tr, logger, stderrPublisher{}, commands(*state)...)
	if err := table.Run(ctx, flag.Arg(0), flag.Args()[1:]); err != nil {
		die("%s: %v", flag.Arg(0), err) // HAZ exit-skips-defer
	}
}
