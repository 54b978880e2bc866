// Command scheduler runs the periodic maintenance tasks.
package main

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm4/internal/jobs"
	"example.com/falsealarm4/internal/pool"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	leases := pool.NewLeases()
	s := jobs.NewScheduler(time.Minute)
	s.Add("sweep", func(context.Context) error {
		log.Printf("swept %d leases", leases.Sweep(time.Now()))
		return nil
	})
	s.Start(ctx)
	defer func() {
		if err := s.Stop(5 * time.Second); err != nil {
			log.Print(err)
		}
	}()

	<-ctx.Done() // ok: ends on SIGTERM/SIGINT, then the defers run
	log.Print("scheduler: shutting down")
}
