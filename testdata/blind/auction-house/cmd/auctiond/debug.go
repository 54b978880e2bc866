package main

import (
	"fmt"
	"log"
	"net"
	"time"

	"example.com/auction/internal/auction"
)

// serveDebug answers every connection on ln with a plain-text dump of the
// open lots. It runs for the life of the process.
func serveDebug(ln net.Listener, reg *auction.Registry) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("debug: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop defer-in-infinite-loop
		go writeStats(conn, reg)
	}
}

// writeStats writes one line per open lot.
func writeStats(conn net.Conn, reg *auction.Registry) {
	_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	for _, s := range reg.ActiveLots() {
		if _, err := fmt.Fprintf(conn, "%s\t%s\t%d bids\tleader=%s\tdeadline=%s\n",
			s.LotID, s.Status, s.Bids, s.Leading.Bidder, s.Deadline.Format(time.RFC3339)); err != nil {
			return
		}
	}
}
