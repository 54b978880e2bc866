// Command hubserver-graceful runs a wshub and stops accepting on SIGTERM.
package main

import (
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

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

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		sig := <-sigc
		log.Printf("hubserver: %s received, closing listener", sig)
		ln.Close()
	}()

	if err := hub.ServeSafe(ln); err != nil {
		log.Printf("hubserver: serve ended: %v", err)
	}
}
