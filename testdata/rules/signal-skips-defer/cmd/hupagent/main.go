// Command hupagent runs until it is killed, reloading on SIGHUP.
package main

import (
	"log"
	"os"
	"os/signal"
	"syscall"

	"example.com/sig/reloader"
)

// The only signals asked for are SIGHUPs, here and in the package it imports, and main ends in
// a range over the SIGHUP channel: SIGTERM kills the process with the pid file left behind.
func main() {
	if err := os.WriteFile("/tmp/hupagent.pid", []byte("1"), 0o644); err != nil {
		log.Fatal(err)
	}
	defer os.Remove("/tmp/hupagent.pid")
	stop := make(chan struct{})
	go reloader.Watch(func() { log.Print("reloaded") }, stop)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	for range hup { // want `main defers os\.Remove\("/tmp/hupagent\.pid"\) \(line \d+\) and then blocks in the endless range over hup \(line \d+\), but package main never handles SIGTERM or SIGINT`
		log.Print("reload requested")
	}
}
