package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"example.com/falsealarm6/internal/cli"
	"example.com/falsealarm6/internal/queue"
)

type handler func(ctx context.Context, it queue.Item) error

// execHandler runs path with the payload on stdin.
func execHandler(path string) handler {
	return func(ctx context.Context, it queue.Item) error {
		cmd := exec.CommandContext(ctx, path, it.ID)
		cmd.Stdin = bytes.NewBufferString(it.Payload)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w: %s", it.ID, err, out)
		}
		return nil
	}
}

func cmdWork(fs *flag.FlagSet, args []string) error {
	path := flagString(fs, "exec")
	if path == "" {
		return cli.Exitf(2, "work: -exec is required")
	}
	batch, _ := strconv.Atoi(flagString(fs, "batch"))
	idle, _ := time.ParseDuration(flagString(fs, "idle"))
	q, err := queue.Load(journal)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "queuectl: ", log.LstdFlags)
	err = workLoop(ctx, q, execHandler(path), batch, idle, logger)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// workLoop processes batches until ctx ends or the queue stays idle.
func workLoop(ctx context.Context, q *queue.Queue, h handler, batch int, idle time.Duration, logger *log.Logger) error {
	lastWork := time.Now()
	for ctx.Err() == nil {
		items := takeBatch(q, batch)
		if len(items) == 0 {
			if idle > 0 && time.Since(lastWork) > idle {
				return nil
			}
			select {
			case <-q.Wait():
			case <-time.After(time.Second):
			case <-ctx.Done():
			}
			continue
		}
		lastWork = time.Now()
		for _, err := range processBatch(ctx, h, items, logger) {
			logger.Print(err)
		}
	}
	return ctx.Err()
}

func takeBatch(q *queue.Queue, n int) []queue.Item {
	var items []queue.Item
	for len(items) < n {
		it, ok := q.TryPop()
		if !ok {
			break
		}
		items = append(items, it)
	}
	return items
}

// recoverItem is deferred directly by each item goroutine.
func recoverItem(logger *log.Logger, id string, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%s: handler panicked: %v", id, r)
		logger.Printf("item %s panicked: %v", id, r)
	}
}

// processBatch handles the items concurrently. Each goroutine carries its
// own recover, and all are joined before returning.
func processBatch(ctx context.Context, h handler, items []queue.Item, logger *log.Logger) []error {
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer recoverItem(logger, it.ID, &errs[i])
			errs[i] = h(ctx, it)
		}()
	}
	wg.Wait()
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// processFast is the experimental unordered mode: results are gathered from
// a buffered channel; the function protects itself against handler panics.
func processFast(ctx context.Context, h handler, items []queue.Item, logger *log.Logger) (failed int) {
	defer func() {
		if r := recover(); r != nil {
			logger.Printf("batch aborted: %v", r)
			failed = len(items)
		}
	}()
	errc := make(chan error, len(items))
	for _, it := range items {
		go func() { errc <- h(ctx, it) }() // HAZ goroutine-outside-recover
	}
	for range items {
		if err := <-errc; err != nil {
			logger.Print(err)
			failed++
		}
	}
	return failed
}
