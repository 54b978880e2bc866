// Command shipd drains the shipping queue to the collector on a timer.
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up18/internal/ship"
)

func main() {
	addr := flag.String("collector", "127.0.0.1:7070", "collector address")
	state := flag.String("state", "/var/lib/up18/queue.json", "queue state file")
	every := flag.Duration("every", 5*time.Second, "drain interval")
	flag.Parse()

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)

	sh := ship.New(*addr, *state, 3, time.Second)
	defer func() {
		if err := sh.Close(); err != nil {
			log.Printf("close: %v", err)
		}
	}()
	tick := time.NewTicker(*every)
	defer tick.Stop()

loop:
	for {
		select {
		case s := <-sigs:
			log.Printf("%v: draining and exiting", s)
			break loop
		case <-tick.C:
			n, err := sh.DrainOnce()
			if err != nil {
				log.Printf("drain: %v", err)
				continue
			}
			if n > 0 {
				log.Printf("shipped %d batches", n)
			}
		}
	}
}
