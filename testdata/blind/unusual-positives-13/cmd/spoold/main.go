// Command spoold accepts export lines on a local socket and spools them
// into size-limited segment files.
package main

import (
	"bufio"
	"flag"
	"log"
	"net"
	"time"

	"example.com/up13/internal/export"
	"example.com/up13/internal/trace"
)

// acceptLoop hands every connection to readLines until the listener fails.
func acceptLoop(ln net.Listener, lines chan<- []string) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("spoold: accept: %v", err)
			return
		}
		go readLines(conn, lines)
	}
}

// readLines reads one batch of lines per connection.
func readLines(conn net.Conn, lines chan<- []string) {
	defer conn.Close()
	if err := conn.SetReadDeadline(time.Now().Add(time.Minute)); err != nil {
		return
	}
	var batch []string
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		batch = append(batch, sc.Text())
	}
	if len(batch) > 0 {
		lines <- batch
	}
}

// own is the only goroutine touching the spool.
func own(sp *export.Spool, lines <-chan []string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case batch := <-lines:
			sp.AppendScoped(batch)
		case <-t.C:
			if err := sp.Flush(); err != nil {
				log.Printf("spoold: %v", err)
			}
		}
	}
}

func main() {
	dir := flag.String("dir", "/var/spool/up13", "spool directory")
	addr := flag.String("listen", "127.0.0.1:7070", "listen address")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("spoold: %v", err)
	}
	sp := export.NewSpool(*dir, 1<<20, trace.NewRecorder())
	defer func() {
		if err := sp.Shutdown(); err != nil {
			log.Printf("spoold: shutdown: %v", err)
		}
	}()

	lines := make(chan []string)
	go acceptLoop(ln, lines)
	go own(sp, lines, time.Minute)
	log.Printf("spoold: spooling %s into %s", *addr, *dir)
	select {} // HAZ signal-skips-defer
}
