// Command dropcopyd is the compliance drop-copy receiver: it accepts the
// gateway's trade feed and journals every trade it receives.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"strings"
	"time"

	"example.com/matching/internal/journal"
)

func main() {
	addr := flag.String("listen", ":9300", "listen address")
	dir := flag.String("dir", "/var/lib/dropcopy", "journal directory")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("dropcopyd: %v", err)
	}
	w, err := journal.Open(*dir, journal.Options{})
	if err != nil {
		log.Fatalf("dropcopyd: %v", err)
	}
	defer w.Close() // HAZ signal-skips-defer

	log.Printf("dropcopyd: receiving on %s", ln.Addr())
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Printf("dropcopyd: accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		go receive(c, w)
	}
}

// receive journals each trade line and answers heartbeats.
func receive(c net.Conn, w *journal.Writer) {
	defer c.Close()
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "H|"):
			if _, err := fmt.Fprintf(c, "H|%s\n", strings.TrimPrefix(line, "H|")); err != nil {
				return
			}
		case strings.HasPrefix(line, "T|"):
			if err := journalLine(w, line); err != nil {
				log.Printf("dropcopyd: %s: %v", c.RemoteAddr(), err)
				return
			}
		default:
			log.Printf("dropcopyd: %s: unexpected line %q", c.RemoteAddr(), line)
		}
	}
}

func journalLine(w *journal.Writer, line string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := w.Append(ctx, []byte(line))
	return err
}
