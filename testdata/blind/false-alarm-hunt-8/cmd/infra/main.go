// Command infra is the operator's tool for the queue, config and hub.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"example.com/falsealarm8/cli"
)

// main only exits; every defer lives in run, which has returned by then.
func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := cli.New(os.Stdout, os.Stderr)
	app.Debug = os.Getenv("INFRA_DEBUG") != ""
	return app.Run(ctx, os.Args[1:])
}
