// Command oneshot runs the registered jobs once and waits for them.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/falsealarm4/internal/jobs"
)

func main() {
	r := jobs.NewRunner()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	done := make(chan error, 1)
	go func() {
		done <- r.RunAll(ctx, []jobs.Job{
			{ID: "compact", Run: func(context.Context) error { return nil }},
			{ID: "vacuum", Run: func(context.Context) error { return nil }},
		})
	}()
	select { // ok: not a forever block: it ends with the jobs or the timeout
	case err := <-done:
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		log.Print("oneshot: ok")
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "oneshot: timed out")
	}
}
