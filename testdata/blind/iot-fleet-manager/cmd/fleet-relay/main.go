// Command fleet-relay forwards device connections from a site gateway to
// the central fleetd, for sites whose devices cannot reach it directly.
package main

import (
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"time"
)

func main() {
	listen := flag.String("listen", ":8883", "address devices connect to")
	upstream := flag.String("upstream", "fleetd.internal:8883", "central fleetd address")
	oneWay := flag.Bool("one-way", false, "devices only send (telemetry-only sites); retry broken uplinks")
	sock := flag.String("control", "/run/fleet-relay.sock", "control socket")
	flag.Parse()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("fleet-relay: %v", err)
	}
	ctl, err := listenControl(*sock)
	if err != nil {
		log.Fatalf("fleet-relay: %v", err)
	}
	defer ctl.Close()
	defer os.Remove(*sock)
	go serveControl(ctl)

	log.Printf("fleet-relay: %s -> %s", *listen, *upstream)
	for { // HAZ signal-skips-defer
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("fleet-relay: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if *oneWay {
			go relayWithRetry(conn, *upstream)
			continue
		}
		go relay(conn, *upstream)
	}
}

// listenControl opens the unix control socket, replacing a stale one.
func listenControl(path string) (net.Listener, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return net.Listen("unix", path)
}

// serveControl answers "ping" on the control socket for health checks.
func serveControl(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(c, "pong\n")
		}(c)
	}
}

// relay splices one device connection to the upstream fleetd.
func relay(client net.Conn, upstream string) {
	defer client.Close()
	up, err := net.DialTimeout("tcp", upstream, 5*time.Second)
	if err != nil {
		log.Printf("fleet-relay: dial upstream for %s: %v", client.RemoteAddr(), err)
		return
	}
	defer up.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(up, client)
		if tc, ok := up.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
	}()
	io.Copy(client, up)
	wg.Wait()
}

// relayWithRetry is relay for flaky uplinks: when the upstream connection
// breaks, it dials again and resumes copying the device's bytes.
func relayWithRetry(client net.Conn, upstream string) {
	defer client.Close()
	up, err := net.DialTimeout("tcp", upstream, 5*time.Second)
	if err != nil {
		log.Printf("fleet-relay: dial upstream: %v", err)
		return
	}
	defer up.Close() // HAZ defer-eager-evaluation
	for attempt := 1; attempt <= 3; attempt++ {
		if _, err = io.Copy(up, client); err == nil {
			return
		}
		log.Printf("fleet-relay: upstream broke (attempt %d): %v", attempt, err)
		up, err = net.DialTimeout("tcp", upstream, 5*time.Second)
		if err != nil {
			return
		}
	}
}
