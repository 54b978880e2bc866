// Command workerd runs the background worker pool that turns order jobs
// into webhook deliveries.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/testsuites/notify"
	"example.com/testsuites/order"
	"example.com/testsuites/worker"
)

func handlerFor(d *notify.Dispatcher) worker.Handler {
	return func(ctx context.Context, j worker.Job) error {
		ev := notify.Event{Type: "order." + j.Kind, OrderID: j.OrderID, Status: order.Status(j.Kind), At: time.Now()}
		return d.Enqueue(ctx, ev)
	}
}

// feed submits a heartbeat job every interval until ctx is done.
func feed(ctx context.Context, p *worker.Pool, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			j := worker.Job{ID: fmt.Sprintf("heartbeat-%d", n), Kind: "heartbeat"}
			if !p.TrySubmit(j) {
				logger.Printf("queue full, dropped %s", j.ID)
			}
		}
	}
}

// logResults reports failed jobs for the life of the process.
func logResults(p *worker.Pool, logger *log.Logger) {
	for res := range p.Results() {
		if res.Err != nil {
			logger.Printf("job %s failed after %s: %v", res.JobID, res.Took, res.Err)
		}
	}
}

// saveDeadLetters writes undeliverable events so that they can be replayed.
func saveDeadLetters(path string, d *notify.Dispatcher, logger *log.Logger) {
	dead := d.DeadLetters()
	if len(dead) == 0 {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		logger.Printf("dead letters: %v", err)
		return
	}
	enc := json.NewEncoder(f)
	for _, ev := range dead {
		if err := enc.Encode(ev); err != nil {
			logger.Printf("dead letters: %v", err)
			break
		}
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		logger.Printf("dead letters: %v", err)
		return
	}
	logger.Printf("saved %d dead letters to %s", len(dead), path)
}

func main() {
	hookURL := flag.String("hook", "http://127.0.0.1:9090/hook", "webhook URL")
	workers := flag.Int("workers", 4, "number of workers")
	deadPath := flag.String("dead-letters", "dead-letters.jsonl", "where to save undeliverable events")
	legacy := flag.Bool("legacy", false, "use the legacy delivery loop")
	flag.Parse()

	logger := log.New(os.Stderr, "workerd ", log.LstdFlags)
	d := notify.NewDispatcher(notify.New(*hookURL), 256, logger)
	defer saveDeadLetters(*deadPath, d, logger)

	ctx := context.Background()
	p := worker.New(handlerFor(d), 64, worker.WithLogger(logger))
	p.Start(ctx, *workers)
	if *legacy {
		go d.Mirror()
	} else {
		go d.Run(ctx)
	}
	go feed(ctx, p, 30*time.Second, logger)
	go logResults(p, logger)
	logger.Printf("started %d workers", *workers)
	select {} // HAZ signal-skips-defer
}
