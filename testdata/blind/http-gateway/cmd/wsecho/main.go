// Command wsecho is a raw frame echo server for testing the gateway's
// stream relay: every frame received is sent back. It prints its counters
// when it exits.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync/atomic"

	"example.com/gateway/internal/ws"
)

type stats struct {
	conns  atomic.Int64
	frames atomic.Int64
	bytes  atomic.Int64
}

func (s *stats) dump(w io.Writer) {
	fmt.Fprintf(w, "wsecho: conns=%d frames=%d bytes=%d\n", s.conns.Load(), s.frames.Load(), s.bytes.Load())
}

// echo serves one connection until the peer closes it.
func (s *stats) echo(c net.Conn) {
	defer c.Close()
	s.conns.Add(1)
	br := bufio.NewReader(c)
	bw := bufio.NewWriter(c)
	for {
		p, err := ws.ReadFrame(br, ws.MaxFrame)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, ws.ErrClosed) {
				log.Printf("wsecho: %s: %v", c.RemoteAddr(), err)
			}
			return
		}
		s.frames.Add(1)
		s.bytes.Add(int64(len(p)))
		if err := ws.WriteFrameTo(bw, p); err != nil {
			return
		}
		if err := bw.Flush(); err != nil {
			return
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9100", "listen address")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("wsecho: %v", err)
	}
	st := &stats{}
	defer st.dump(os.Stdout)
	defer ln.Close()

	log.Printf("wsecho: listening on %s", ln.Addr())
	for {
		c, err := ln.Accept() // HAZ signal-skips-defer
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			log.Printf("wsecho: accept: %v", err)
			continue
		}
		go st.echo(c)
	}
}
