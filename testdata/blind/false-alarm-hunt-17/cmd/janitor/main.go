// Command janitor periodically garbage-collects a local artifact store.
package main

import (
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah17/internal/obs"
	"example.com/fah17/internal/store"
)

func main() {
	root := flag.String("root", "/var/lib/artifacts", "store root directory")
	every := flag.Duration("every", time.Hour, "interval between sweeps")
	grace := flag.Duration("grace", 24*time.Hour, "minimum age of unreferenced blobs")
	flag.Parse()
	logger := obs.NewLogger(os.Stderr, "info")

	st, err := store.Open(*root, store.Options{Logger: logger, Exclusive: true})
	if err != nil {
		logger.Error("open store", "err", err)
		os.Exit(1)
	}
	defer closeStore(st, logger)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	tick := time.NewTicker(*every)
	defer tick.Stop()
	for {
		sweep(st, *grace, logger)
		select {
		case <-tick.C:
		case s := <-sigs:
			logger.Info("janitor stopping", "signal", s.String())
			return
		}
	}
}

func sweep(st *store.Store, grace time.Duration, logger *slog.Logger) {
	defer obs.StartTimer(logger, "sweep").Stop()
	removed, err := st.GC(grace)
	if err != nil {
		logger.Error("gc", "err", err)
		return
	}
	tmps, err := st.Compact()
	if err != nil {
		logger.Error("compact", "err", err)
		return
	}
	logger.Info("sweep done", "removed", removed, "temporaries", tmps)
}

func closeStore(st *store.Store, logger *slog.Logger) {
	if err := st.Close(); err != nil {
		logger.Error("close store", "err", err)
	}
}
