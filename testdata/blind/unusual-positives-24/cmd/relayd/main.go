// Command relayd accepts line-oriented connections and pumps them to stdout
// until it is told to stop.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up24/internal/pump"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "relayd:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("relayd", flag.ContinueOnError)
	addr := fs.String("addr", ":7000", "listen address")
	every := fs.Duration("report", 30*time.Second, "report interval")
	if err := fs.Parse(args); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()

	p := pump.New(os.Stdout)
	conns := make(chan net.Conn)
	acceptErr := make(chan error, 1)
	go func() {
		acceptErr <- accept(ctx, ln, conns)
	}()
	go p.Report(ctx, *every)
	go p.ServeEach(ctx, conns)

	select {
	case <-ctx.Done():
		log.Printf("relayd: shutting down")
		return nil
	case err := <-acceptErr:
		return err
	}
}

// accept hands accepted connections to conns until ctx ends or the listener
// fails.
func accept(ctx context.Context, ln net.Listener, conns chan<- net.Conn) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		select {
		case conns <- c:
		case <-ctx.Done():
			c.Close()
			return nil
		}
	}
}
