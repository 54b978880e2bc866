// Command up12sink receives records over TCP and spools them to disk.
package main

import (
	"flag"
	"log"
	"net"
	"time"

	"example.com/up12/internal/spool"
)

func main() {
	dir := flag.String("dir", "/var/spool/up12sink", "spool directory")
	addr := flag.String("addr", ":8413", "record listen address")
	segBytes := flag.Int64("segment-bytes", 16<<20, "segment size")
	rotate := flag.Duration("rotate", time.Minute, "forced rotation interval")
	flag.Parse()

	sp, err := spool.Open(*dir, *segBytes)
	if err != nil {
		log.Fatalf("up12sink: %v", err)
	}
	defer sp.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("up12sink: listen: %v", err)
		return
	}
	defer ln.Close()

	recs := make(chan []byte, 256)
	go acceptRecords(ln, recs)
	tick := time.NewTicker(*rotate)
	defer tick.Stop()
	for { // HAZ signal-skips-defer
		select {
		case rec := <-recs:
			if err := sp.Append(rec); err != nil {
				log.Printf("up12sink: append: %v", err)
			}
		case <-tick.C:
			if err := sp.Rotate(); err != nil {
				log.Printf("up12sink: rotate: %v", err)
			}
		}
	}
}
