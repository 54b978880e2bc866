// Command relay copies TCP connections to a backend.
package main

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

func pipe(client net.Conn, backend string, wg *sync.WaitGroup) {
	defer wg.Done()
	defer client.Close()
	up, err := net.DialTimeout("tcp", backend, 3*time.Second)
	if err != nil {
		log.Printf("dial %s: %v", backend, err)
		return
	}
	defer up.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, client); done <- struct{}{} }()
	go func() { _, _ = io.Copy(client, up); done <- struct{}{} }()
	<-done
}

func main() {
	backend := os.Getenv("RELAY_BACKEND")
	if backend == "" {
		backend = "127.0.0.1:9000"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:9001")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		ln.Close() // unblocks Accept below
	}()

	var wg sync.WaitGroup
	defer func() {
		drained := make(chan struct{})
		go func() {
			wg.Wait()
			close(drained)
		}()
		select {
		case <-drained:
		case <-time.After(10 * time.Second): // ok: bounded drain of open connections
			log.Print("relay: connections still open, exiting anyway")
		}
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("accept: %v", err)
			continue
		}
		wg.Add(1)
		go pipe(c, backend, &wg)
	}
}
