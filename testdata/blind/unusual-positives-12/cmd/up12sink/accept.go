package main

import (
	"bufio"
	"log"
	"net"
)

// acceptRecords accepts connections until ln is closed and feeds their
// lines to out.
func acceptRecords(ln net.Listener, out chan<- []byte) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("up12sink: accept: %v", err)
			return
		}
		go readRecords(conn, out)
	}
}

// readRecords sends every line of conn on out.
func readRecords(conn net.Conn, out chan<- []byte) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		rec := append([]byte(nil), sc.Bytes()...)
		out <- rec
	}
	if err := sc.Err(); err != nil {
		log.Printf("up12sink: %s: %v", conn.RemoteAddr(), err)
	}
}
