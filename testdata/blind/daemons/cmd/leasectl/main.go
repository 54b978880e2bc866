// Command leasectl runs a command while holding a named lease, so that only
// one replica runs it at a time (migrations, backups).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"example.com/daemons/controller"
	"example.com/daemons/internal/crash"
)

func main() {
	os.Exit(run(os.Args[1:])) // ok: run has returned and its defers have run
}

func run(args []string) int {
	fs := flag.NewFlagSet("leasectl", flag.ContinueOnError)
	var (
		name     = fs.String("lease", "", "lease name")
		base     = fs.String("lease-url", "http://127.0.0.1:7070", "coordination service")
		identity = fs.String("id", "", "holder identity (default: hostname)")
		wait     = fs.Duration("wait", time.Minute, "how long to wait for the lease")
	)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *name == "" || fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: leasectl -lease NAME [flags] -- command [args...]")
		return 2
	}
	if *identity == "" {
		h, err := os.Hostname()
		if err != nil {
			fmt.Fprintln(os.Stderr, "leasectl:", err)
			return 1
		}
		*identity = fmt.Sprintf("%s-%d", h, os.Getpid())
	}
	logger := log.New(os.Stderr, "leasectl ", log.LstdFlags)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	el := controller.NewElector(controller.ElectorConfig{
		Name:          *name,
		Identity:      *identity,
		LeaseDuration: 30 * time.Second,
		RenewDeadline: 10 * time.Second,
		RetryPeriod:   time.Second,
	}, &controller.LeaseClient{Base: *base, Client: &http.Client{Timeout: 5 * time.Second}}, logger)

	acqCtx, cancel := context.WithTimeout(ctx, *wait)
	defer cancel()
	heartbeat := make(chan struct{})
	crash.Go(logger, "heartbeat", func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-heartbeat:
				return
			case <-t.C:
				logger.Printf("still running %s", fs.Arg(0))
			}
		}
	})
	defer close(heartbeat) // ok: closed once, nobody sends on it

	err := el.RunExclusive(acqCtx, func(context.Context) error {
		cmd := exec.CommandContext(ctx, fs.Arg(0), fs.Args()[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		return cmd.Run()
	})
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		return exitErr.ExitCode()
	default:
		logger.Printf("%v", err)
		return 1
	}
}
