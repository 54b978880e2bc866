package main

import (
	"os"
	"os/signal"
	"syscall"
)

var shutdown = make(chan os.Signal, 1)

func init() {
	signal.Notify(shutdown, syscall.SIGINT, syscall.SIGTERM)
}
