// Command hubserver runs a wshub on a TCP port.
package main

import (
	"flag"
	"log"
	"net"

	"example.com/blindi/wshub"
)

func main() {
	addr := flag.String("addr", ":9000", "listen address")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("hubserver: %v", err)
	}
	defer ln.Close()

	hub := wshub.NewHub(log.Default())
	defer hub.DrainAndReport()

	log.Printf("hubserver: listening on %s", ln.Addr())
	if err := hub.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("hubserver: serve: %v", err)
	}
}
