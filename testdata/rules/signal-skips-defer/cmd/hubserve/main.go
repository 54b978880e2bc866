package main

import (
	"log"
	"net"
)

type hub struct{}

// Serve accepts connections until the listener is closed.
func (h *hub) Serve(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		c.Close()
	}
}

func (h *hub) DrainAndReport() {}

// Any type's Serve(ln): the deferred report never runs on SIGTERM.
func main() {
	ln, err := net.Listen("tcp", ":9000")
	if err != nil {
		log.Fatal(err)
	}
	h := &hub{}
	defer h.DrainAndReport()
	if err := h.Serve(ln); err != nil { // want `main defers h\.DrainAndReport\(\) \(line \d+\) and then blocks in`
		log.Print(err)
	}
}
