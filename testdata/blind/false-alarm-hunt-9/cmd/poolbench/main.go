// Command poolbench runs synthetic tasks through a worker pool until
// interrupted and reports throughput.
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

	"example.com/falsealarm9/pool"
	"example.com/falsealarm9/retry"
)

func main() {
	os.Exit(mainCode())
}

func mainCode() int {
	workers := flag.Int("workers", 8, "pool size")
	work := flag.Duration("work", time.Millisecond, "simulated task duration")
	flag.Parse()
	if *workers < 1 {
		log.Print("poolbench: -workers must be positive")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second interrupt now kills the process immediately
	}()

	p := pool.New(ctx, *workers)
	start := time.Now()
	submitted := 0
	for ctx.Err() == nil {
		err := p.Submit(ctx, func(ctx context.Context) error {
			return retry.Sleep(ctx, *work)
		})
		if err != nil {
			break
		}
		submitted++
	}
	if err := p.Close(); err != nil && ctx.Err() == nil {
		log.Printf("poolbench: %v", err)
		return 1
	}
	elapsed := time.Since(start)
	fmt.Printf("%d tasks in %v (%.0f/s)\n", submitted, elapsed.Round(time.Millisecond), float64(submitted)/elapsed.Seconds())
	return 0
}
