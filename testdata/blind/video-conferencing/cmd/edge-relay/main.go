// Command edge-relay runs at an edge point of presence and forwards
// signalling TCP connections to the core SFU, so that clients connect to a
// nearby address.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync/atomic"
	"time"
)

type relayStats struct {
	accepted atomic.Int64
	active   atomic.Int64
	failed   atomic.Int64
	bytes    atomic.Int64
}

func (s *relayStats) dump(w io.Writer) {
	fmt.Fprintf(w, "edge-relay: accepted=%d active=%d failed=%d bytes=%d\n",
		s.accepted.Load(), s.active.Load(), s.failed.Load(), s.bytes.Load())
}

// relay pipes c to the upstream SFU until either side closes. The error
// channel is buffered for both copiers, so the one that finishes second
// never blocks after relay has returned.
func relay(c net.Conn, upstream string, st *relayStats) {
	defer c.Close()
	up, err := net.DialTimeout("tcp", upstream, 5*time.Second)
	if err != nil {
		st.failed.Add(1)
		log.Printf("edge-relay: dial %s: %v", upstream, err)
		return
	}
	defer up.Close()
	st.active.Add(1)
	defer st.active.Add(-1)

	errc := make(chan error, 2)
	go func() {
		n, err := io.Copy(up, c)
		st.bytes.Add(n)
		errc <- err
	}()
	go func() {
		n, err := io.Copy(c, up)
		st.bytes.Add(n)
		errc <- err
	}()
	if err := <-errc; err != nil {
		log.Printf("edge-relay: %s: %v", c.RemoteAddr(), err)
	}
}

func main() {
	listen := flag.String("listen", ":7000", "edge listen address")
	upstream := flag.String("upstream", "core-sfu:7000", "core SFU signalling address")
	flag.Parse()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	st := &relayStats{}
	defer st.dump(os.Stderr)

	log.Printf("edge-relay: %s -> %s", *listen, *upstream)
	for { // HAZ signal-skips-defer
		c, err := ln.Accept()
		if err != nil {
			log.Printf("edge-relay: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		st.accepted.Add(1)
		go relay(c, *upstream, st)
	}
}
