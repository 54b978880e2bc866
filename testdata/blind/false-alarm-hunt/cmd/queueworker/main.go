// Command queueworker consumes an in-process queue. main only converts
// run's result into an exit status, so every defer in run has executed by
// the time os.Exit is called.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/blindg/internal/cache"
	"example.com/blindg/internal/safe"
)

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "queueworker ", log.LstdFlags|log.Lmsgprefix)

	q := cache.NewBoundedQueue[string](128)
	defer q.Close() // idempotent; also closed explicitly below

	sup := &safe.Supervisor{Logger: logger, Backoff: time.Second}
	sup.Start(ctx, "consumer", func(context.Context) error {
		for {
			job, ok := q.Take()
			if !ok {
				return nil
			}
			logger.Printf("processing %s", job)
		}
	})
	sup.Start(ctx, "producer", func(ctx context.Context) error {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
				if err := q.Put(fmt.Sprintf("job-%d", i)); err != nil {
					if errors.Is(err, cache.ErrClosed) {
						return nil
					}
					return err
				}
			}
		}
	})

	<-ctx.Done()
	q.Close()
	sup.Wait()
	if n := sup.Panics(); n > 0 {
		logger.Printf("%d worker panics recovered", n)
		return 1
	}
	return 0
}
