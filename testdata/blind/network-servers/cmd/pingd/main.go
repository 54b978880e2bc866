// Command pingd keeps pinging a list of peers and logs state changes.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/netsrv/keepalive"
)

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		_ = c.Close()
	}
}

func main() {
	peersFlag := flag.String("peers", "127.0.0.1:7001", "comma-separated peer addresses")
	interval := flag.Duration("interval", 5*time.Second, "ping interval")
	flag.Parse()

	var (
		peers []keepalive.Peer
		conns []net.Conn
	)
	defer func() { closeAll(conns) }() // ok: reads conns at exit, after the loop filled it
	for _, addr := range strings.Split(*peersFlag, ",") {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			log.Printf("pingd: %s: %v", addr, err)
			continue
		}
		conns = append(conns, conn)
		_ = keepalive.EnableTCPKeepAlive(conn, 30*time.Second)
		peers = append(peers, keepalive.NewConnPeer(addr, conn))
	}
	if len(peers) == 0 {
		log.Print("pingd: no reachable peers")
		return
	}

	p := keepalive.New(*interval, 2*time.Second, 3)
	p.OnUnhealthy = func(name string) { log.Printf("pingd: %s is unhealthy", name) }

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		p.Run(ctx, peers)
	}()
	go func() {
		defer wg.Done()
		for {
			select {
			case ev := <-p.Events():
				if ev.Err != nil {
					log.Printf("pingd: %s: %v (%v)", ev.Peer, ev.Err, ev.State)
				}
			case <-ctx.Done():
				return
			}
		}
	}()

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	<-sigc
	log.Print("pingd: shutting down")
	cancel()
	wg.Wait()
}
