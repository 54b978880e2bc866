// Package relay fans lines received from one TCP client out to all the
// others; the tailer uses it to stream spool activity to operators.
package relay

import (
	"bufio"
	"errors"
	"log"
	"net"
	"sync"
	"time"
)

// Relay is a line relay between TCP clients.
type Relay struct {
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	logger *log.Logger
	idle   time.Duration
}

// New returns a relay that drops clients idle for longer than idle.
func New(logger *log.Logger, idle time.Duration) *Relay {
	return &Relay{conns: make(map[net.Conn]struct{}), logger: logger, idle: idle}
}

// Serve accepts clients on ln until it fails.
func (r *Relay) Serve(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go r.serveConn(c)
	}
}

func (r *Relay) add(c net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conns[c] = struct{}{}
}

func (r *Relay) remove(c net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.conns, c)
}

// Broadcast writes line to every client except from, with a short write
// deadline per client.
func (r *Relay) Broadcast(from net.Conn, line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.conns {
		if c == from {
			continue
		}
		c.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := c.Write([]byte(line + "\n")); err != nil {
			r.logger.Printf("relay: write %s: %v", c.RemoteAddr(), err)
		}
	}
}

// serveConn relays the client's lines until it disconnects or idles out,
// then says goodbye.
func (r *Relay) serveConn(c net.Conn) {
	defer c.Close()
	defer c.Write([]byte("bye\n")) // HAZ defer-blocking-call
	r.add(c)
	defer r.remove(c)
	sc := bufio.NewScanner(c)
	for {
		c.SetReadDeadline(time.Now().Add(r.idle))
		if !sc.Scan() {
			return
		}
		r.Broadcast(c, sc.Text())
	}
}

// serveConnBounded is serveConn with the goodbye bounded by a write
// deadline set inside the deferred literal.
func (r *Relay) serveConnBounded(c net.Conn) {
	defer c.Close()
	defer func() {
		c.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
		c.Write([]byte("bye\n"))
	}()
	r.add(c)
	defer r.remove(c)
	sc := bufio.NewScanner(c)
	for {
		c.SetReadDeadline(time.Now().Add(r.idle))
		if !sc.Scan() {
			return
		}
		r.Broadcast(c, sc.Text())
	}
}

// ServeBounded is Serve using the bounded connection handler.
func (r *Relay) ServeBounded(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go r.serveConnBounded(c)
	}
}

// CloseAll disconnects every client.
func (r *Relay) CloseAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.conns {
		c.Close()
		delete(r.conns, c)
	}
}
