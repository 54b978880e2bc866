// Command busdemo publishes ticks on the event bus and prints them until
// interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm7/eventbus"
	"example.com/falsealarm7/safe"
	"example.com/falsealarm7/tracing"
)

func main() {
	every := flag.Duration("every", time.Second, "tick interval")
	flag.Parse()
	if *every <= 0 {
		fmt.Fprintln(os.Stderr, "busdemo: -every must be positive")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	rec := tracing.NewRecorder(100)
	tr := tracing.NewTracer(rec)
	bus := eventbus.New()
	defer bus.Close()
	async := eventbus.NewAsync(bus, 2, 16, func(ev eventbus.Event) {
		fmt.Fprintln(os.Stderr, "busdemo: dropped", ev.Topic)
	})
	defer async.Close()

	if _, err := bus.Subscribe("tick", printer(tr)); err != nil {
		fmt.Fprintln(os.Stderr, "busdemo:", err)
		return
	}
	tickDone := make(chan struct{})
	safe.Go("ticker", func() {
		defer close(tickDone)
		tick(ctx, async, *every)
	}, nil)
	<-ctx.Done()
	<-tickDone
	fmt.Fprintf(os.Stderr, "busdemo: %d spans recorded\n", len(rec.Spans()))
}

func printer(tr *tracing.Tracer) eventbus.Handler {
	return func(ctx context.Context, ev eventbus.Event) (err error) {
		defer tr.Region(ctx, "print")()
		_, err = fmt.Println("tick", ev.Payload)
		return err
	}
}

func tick(ctx context.Context, a *eventbus.Async, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.TryPublish("tick", n)
		}
	}
}
