// Command up9relay accepts framed requests and forwards them to an upstream node over
// pooled connections.
package main

import (
	"flag"
	"log"
	"net"
	"sync/atomic"
	"time"

	"example.com/up9/internal/guard"
	"example.com/up9/internal/session"
)

const idleTimeout = 2 * time.Minute

func main() {
	listen := flag.String("listen", ":9090", "listen address")
	upstream := flag.String("upstream", "127.0.0.1:8081", "upstream frame port")
	flag.Parse()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("up9relay: %v", err)
	}
	defer ln.Close()
	pool := session.NewPool(*upstream, 8)
	defer pool.CloseIdle()

	log.Printf("up9relay: %s -> %s", *listen, *upstream)
	for { // HAZ signal-skips-defer
		c, err := ln.Accept()
		if err != nil {
			log.Printf("up9relay: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go serve(c, pool)
	}
}

// serve relays frames from c until it fails or goes idle.
func serve(c net.Conn, pool *session.Pool) {
	defer c.Close()
	defer guard.Recover(log.Default(), "relay "+c.RemoteAddr().String(), nil)
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	stop := make(chan struct{})
	defer close(stop)
	go watchdog(c, &last, stop) // HAZ goroutine-outside-recover

	for {
		req, err := session.ReadFrame(c)
		if err != nil {
			return
		}
		last.Store(time.Now().UnixNano())
		s, err := session.NewPooled(pool)
		if err != nil {
			log.Printf("up9relay: upstream: %v", err)
			return
		}
		reply, err := s.Call(req, 10*time.Second)
		if err != nil {
			return
		}
		if err := session.WriteFrame(c, reply); err != nil {
			return
		}
	}
}

// watchdog closes c once it has been idle for idleTimeout.
func watchdog(c net.Conn, last *atomic.Int64, stop <-chan struct{}) {
	t := time.NewTicker(idleTimeout / 4)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			if now.Sub(time.Unix(0, last.Load())) > idleTimeout {
				log.Printf("up9relay: closing idle %s", c.RemoteAddr())
				c.Close()
				return
			}
		}
	}
}
