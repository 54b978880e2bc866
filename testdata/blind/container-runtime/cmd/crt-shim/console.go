package main

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// console fans the container's output out to every attached client on a
// unix socket. Slow clients are dropped rather than allowed to stall the
// container.
type console struct {
	ln   net.Listener
	path string
	log  *log.Logger

	mu      sync.RWMutex
	clients map[net.Conn]struct{}
	closed  bool
}

func newConsole(path string, l *log.Logger) (*console, error) {
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	return &console{ln: ln, path: path, log: l, clients: make(map[net.Conn]struct{})}, nil
}

// Serve accepts attach clients until the console is closed.
func (c *console) Serve() {
	for {
		conn, err := c.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				c.log.Printf("console: accept: %v", err)
			}
			return
		}
		if !c.add(conn) {
			conn.Close()
			return
		}
		go func() {
			defer c.drop(conn)
			// Clients do not send input in this version; wait for hangup.
			io.Copy(io.Discard, conn)
		}()
	}
}

func (c *console) add(conn net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.clients[conn] = struct{}{}
	return true
}

func (c *console) drop(conn net.Conn) {
	c.mu.Lock()
	_, ok := c.clients[conn]
	delete(c.clients, conn)
	c.mu.Unlock()
	if ok {
		conn.Close()
	}
}

// Write sends p to every attached client; a client that cannot take it
// within a second is dropped.
func (c *console) Write(p []byte) (int, error) {
	c.mu.RLock()
	var slow []net.Conn
	for conn := range c.clients {
		conn.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := conn.Write(p); err != nil {
			slow = append(slow, conn)
		}
	}
	c.mu.RUnlock()
	for _, conn := range slow {
		c.drop(conn)
	}
	return len(p), nil
}

// Attached returns the number of attached clients.
func (c *console) Attached() int {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	return len(c.clients)
}

// Close stops accepting and disconnects every client.
func (c *console) Close() error {
	c.mu.Lock()
	c.closed = true
	for conn := range c.clients {
		conn.Close()
		delete(c.clients, conn)
	}
	c.mu.Unlock()
	err := c.ln.Close()
	os.Remove(c.path)
	return err
}

// lineLog writes the container's output to a log file, one flush per
// write so that "crtctl logs" sees lines as they come.
type lineLog struct {
	path string
	log  *log.Logger

	mu sync.Mutex
	f  *os.File
	w  *bufio.Writer
}

func newLineLog(path string, l *log.Logger) *lineLog {
	return &lineLog{path: path, log: l}
}

func (ll *lineLog) Write(p []byte) (int, error) {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	if ll.f == nil {
		if err := os.MkdirAll(filepath.Dir(ll.path), 0o700); err != nil {
			return 0, err
		}
		f, err := os.OpenFile(ll.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return 0, err
		}
		ll.f, ll.w = f, bufio.NewWriter(f)
	}
	n, err := ll.w.Write(p)
	if err != nil {
		return n, err
	}
	return n, ll.w.Flush()
}
