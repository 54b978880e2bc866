// Command up5d serves an up5 store over a line protocol on TCP.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"strings"

	"example.com/up5/internal/store"
)

// handle serves one connection: "GET key" and "PUT key value" lines.
func handle(conn net.Conn, st *store.Store) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "GET":
			v, err := st.Get(f[1])
			if err != nil {
				fmt.Fprintf(conn, "ERR %v\n", err)
				continue
			}
			fmt.Fprintf(conn, "OK %s\n", v)
		case len(f) == 3 && f[0] == "PUT":
			st.Put(f[1], []byte(f[2]))
			fmt.Fprintln(conn, "OK")
		default:
			fmt.Fprintln(conn, "ERR bad command")
		}
	}
}

// acceptLoop accepts connections forever.
func acceptLoop(ln net.Listener, st *store.Store) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("up5d: accept: %v", err)
			continue
		}
		go handle(conn, st)
	}
}

func main() {
	addr := flag.String("addr", ":7070", "listen address")
	path := flag.String("store", "up5.db", "store file")
	flag.Parse()
	st, err := store.Open(*path)
	if err != nil {
		log.Fatalf("up5d: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("up5d: %v", err)
	}
	defer ln.Close()
	defer func() {
		if err := st.Close(); err != nil {
			log.Printf("up5d: flush on exit: %v", err)
		}
	}()
	log.Printf("up5d: listening on %s", ln.Addr())
	acceptLoop(ln, st) // HAZ signal-skips-defer
}
