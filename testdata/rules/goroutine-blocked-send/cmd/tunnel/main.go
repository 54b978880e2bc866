// Command tunnel waits for a signal or for its accept loop to fail.
package main

import (
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
)

// main leaves on a signal without receiving the accept loop's error: the process ends with it,
// so no goroutine is left behind to leak.
func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	errs := make(chan error)
	term := make(chan os.Signal, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				errs <- err
				return
			}
			go serve(c)
		}
	}()
	signal.Notify(term, syscall.SIGTERM, os.Interrupt)
	select {
	case <-term:
	case err := <-errs:
		log.Print(err)
	}
	if err := ln.Close(); err != nil {
		log.Print(err)
	}
}

// A helper of main that does the same is a leak for as long as the program runs on after it.
func acceptUntil(ln net.Listener, stop <-chan struct{}) error {
	errs := make(chan error) // want `acceptUntil makes errs unbuffered, and the goroutine started on line \d+ sends its result on it`
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				errs <- err
				return
			}
			go serve(c)
		}
	}()
	select {
	case <-stop:
		return nil
	case err := <-errs:
		return err
	}
}

func serve(c net.Conn) { _ = c.Close() }
