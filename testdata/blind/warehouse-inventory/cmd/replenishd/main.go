// Command replenishd runs the background replenishment job.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/inventory/internal/replenish"
	"example.com/inventory/internal/stock"
	"example.com/inventory/internal/wal"
)

func main() {
	targetsPath := flag.String("targets", "/etc/inventory/targets.json", "replenishment targets")
	walPath := flag.String("wal", "/var/lib/inventory/orders.wal", "order journal")
	supplier := flag.String("supplier", "http://supplier-gw.internal", "supplier gateway base URL")
	interval := flag.Duration("interval", 15*time.Minute, "cycle interval")
	flag.Parse()

	logger := log.New(os.Stderr, "replenishd ", log.LstdFlags)
	targets, err := loadTargets(*targetsPath)
	if err != nil {
		logger.Fatal(err)
	}
	journal, err := wal.Open(*walPath)
	if err != nil {
		logger.Fatal(err)
	}
	defer func() {
		if err := journal.Close(); err != nil {
			logger.Printf("close journal: %v", err)
		}
	}()

	runner := replenish.NewRunner(stock.NewStore(), replenish.NewClient(*supplier, 10*time.Second), journal, targets, logger)
	runner.Interval = *interval

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := runner.Start(ctx)

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGTERM, os.Interrupt)
	sig := <-sigc
	logger.Printf("received %v, stopping", sig)

	// A second signal, or a stuck cycle, must not keep the pod alive forever.
	time.AfterFunc(30*time.Second, func() {
		logger.Print("shutdown timed out")
		os.Exit(1)
	})
	cancel()
	<-done
}

// loadTargets reads the replenishment policy file.
func loadTargets(path string) ([]replenish.Target, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var targets []replenish.Target
	if err := json.Unmarshal(b, &targets); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return targets, nil
}
