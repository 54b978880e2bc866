// Command sinkd accepts line-oriented TCP clients and writes their lines to
// segment files.
package main

import (
	"flag"
	"log"
	"net"

	"example.com/fah16/internal/segment"
	"example.com/fah16/internal/server"
)

func main() {
	addr := flag.String("addr", ":5140", "listen address")
	out := flag.String("out", "segments", "segment directory")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("sinkd: %v", err)
	}
	w, err := segment.NewWriter(*out, 32<<20)
	if err != nil {
		log.Fatalf("sinkd: %v", err)
	}
	defer closeWriter(w)

	go func() {
		err := server.ServeLines(ln, func(remote, line string) {
			if _, err := w.Write([]byte(line + "\n")); err != nil {
				log.Printf("sinkd: %s: %v", remote, err)
			}
		})
		if err != nil {
			log.Printf("sinkd: %v", err)
		}
	}()
	log.Printf("sinkd: listening on %s", ln.Addr())
	select {} // HAZ signal-skips-defer
}

func closeWriter(w *segment.Writer) {
	if err := w.Close(); err != nil {
		log.Printf("sinkd: closing segments: %v", err)
	}
}
