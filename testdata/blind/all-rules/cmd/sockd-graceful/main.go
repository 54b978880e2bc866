// Command sockd-graceful serves a unix socket and removes it on SIGINT/SIGTERM.
package main

import (
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

const sockPath = "/run/sockd/control.sock"

func main() {
	ln, err := net.Listen("unix", sockPath)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	defer os.Remove(sockPath)

	srv := &http.Server{Handler: http.NotFoundHandler()}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sigs
		log.Printf("received %v, closing", s)
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed { // ok: signals close the server
		log.Printf("serve: %v", err)
	}
}
