package main

import (
	"os"
	"os/signal"
	"syscall"

	"example.com/sig/store"
)

func waitForSignal(db *store.DB) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, os.Interrupt)
	<-ch
	_ = db.Close()
	os.Exit(0)
}
