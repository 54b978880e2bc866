// Command blobgc periodically compacts a store until it is told to stop.
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah18/store"
)

func main() {
	dir := flag.String("dir", "data", "data directory")
	every := flag.Duration("every", time.Minute, "interval between flushes")
	flag.Parse()
	logger := log.New(os.Stderr, "blobgc: ", log.LstdFlags)

	st, err := store.Open(store.Options{Dir: *dir, Logf: logger.Printf})
	if err != nil {
		logger.Fatal(err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			logger.Print(err)
		}
	}()

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	t := time.NewTicker(*every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := gcOnce(st); err != nil {
				logger.Print(err)
			}
		case s := <-sigc:
			logger.Printf("%v: exiting", s)
			return
		}
	}
}

// gcOnce drops tombstones and writes a snapshot.
func gcOnce(st *store.Store) error {
	st.DeletePrefix("tombstone/")
	return st.Flush()
}
