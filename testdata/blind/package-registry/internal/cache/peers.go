package cache

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// ServePeers answers the peer invalidation protocol on ln: each connection
// carries one "INVALIDATE <path>" line. Peers are few and messages tiny, so
// connections are handled one at a time.
func (p *Proxy) ServePeers(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			p.log.Printf("cache: peer accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		if err := p.handlePeer(conn); err != nil {
			p.log.Printf("cache: peer %s: %v", conn.RemoteAddr(), err)
		}
	}
}

// handlePeer reads one command from conn and acknowledges it.
func (p *Proxy) handlePeer(conn net.Conn) error {
	line, err := bufio.NewReader(io.LimitReader(conn, 4096)).ReadString('\n')
	if err != nil {
		return err
	}
	path, ok := strings.CutPrefix(strings.TrimSpace(line), "INVALIDATE ")
	if !ok {
		return fmt.Errorf("unknown command %q", strings.TrimSpace(line))
	}
	p.dropMeta(path)
	_, err = io.WriteString(conn, "OK\n")
	return err
}

// notifyPeerTCP sends one invalidation to a peer over the TCP protocol.
func (p *Proxy) notifyPeerTCP(addr, path string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = fmt.Fprintf(bw, "INVALIDATE %s\n", path)
	return err
}

// BroadcastInvalidate tells every peer at addrs to drop path.
func (p *Proxy) BroadcastInvalidate(addrs []string, path string) error {
	var errs []error
	for _, addr := range addrs {
		if err := p.notifyPeerTCP(addr, path); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", addr, err))
		}
	}
	return errors.Join(errs...)
}
