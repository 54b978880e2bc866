// Package credential implements a credential cache daemon, reachable over a
// unix socket, that remembers HTTP passwords for a while so that fetch and
// push do not prompt every time.
//
// The protocol is line based: a verb ("get", "store", "erase", "quit")
// followed by key=value lines and an empty line.
package credential

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

// Credential is a username and password for one host.
type Credential struct {
	Host     string
	Username string
	Password string
	Expires  time.Time
}

// Cache holds credentials in memory until they expire.
type Cache struct {
	ttl    time.Duration
	logger *log.Logger
	onExit func()

	mu      sync.RWMutex
	entries map[string]Credential
}

// NewCache returns an empty cache whose entries live for ttl.
func NewCache(ttl time.Duration, logger *log.Logger) *Cache {
	return &Cache{ttl: ttl, logger: logger, entries: make(map[string]Credential)}
}

// SetOnExit registers a function run when the cache is closed.
func (c *Cache) SetOnExit(fn func()) { c.onExit = fn }

// Store remembers cred for the cache's ttl.
func (c *Cache) Store(cred Credential) {
	cred.Expires = time.Now().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[cred.Host] = cred
}

// Erase forgets the credential for host.
func (c *Cache) Erase(host string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, host)
}

// Peek returns the credential for host without extending its lifetime.
func (c *Cache) Peek(host string) (Credential, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	cred, ok := c.entries[host]
	if ok && time.Now().After(cred.Expires) {
		c.Erase(host) // HAZ lock-reentry-under-defer
		return Credential{}, false
	}
	return cred, ok
}

// Lookup returns the credential for host and slides its expiry forward.
func (c *Cache) Lookup(host string) (Credential, bool) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	cred, ok := c.entries[host]
	if !ok {
		c.mu.Unlock()
		return Credential{}, false
	}
	if time.Now().After(cred.Expires) {
		delete(c.entries, host)
		return Credential{}, false
	}
	cred.Expires = time.Now().Add(c.ttl)
	c.entries[host] = cred
	c.mu.Unlock()
	return cred, true
}

// Len reports how many credentials are cached.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RLock() // HAZ defer-lock-mismatch defer-blocking-call
	return len(c.entries)
}

// Sweep drops expired credentials and returns how many it dropped.
func (c *Cache) Sweep() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	n := 0
	for host, cred := range c.entries {
		if now.After(cred.Expires) {
			delete(c.entries, host)
			n++
		}
	}
	return n
}

// RunSweeper sweeps every interval until ctx is done.
func (c *Cache) RunSweeper(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := c.Sweep(); n > 0 {
				c.logger.Printf("expired %d credentials", n)
			}
		}
	}
}

// Close empties the cache and runs the exit callback.
func (c *Cache) Close() error {
	defer c.onExit() // HAZ defer-nil-func
	c.mu.Lock()
	c.entries = make(map[string]Credential)
	c.mu.Unlock()
	return nil
}

// readRequest parses one request: a verb line, key=value lines, a blank line.
func readRequest(br *bufio.Reader) (string, map[string]string, error) {
	verb, err := br.ReadString('\n')
	if err != nil {
		return "", nil, err
	}
	attrs := make(map[string]string)
	for {
		line, err := br.ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return "", nil, fmt.Errorf("credential: malformed line %q", line)
		}
		attrs[k] = v
	}
	return strings.TrimSpace(verb), attrs, nil
}

// handle serves the requests of one connection.
func (c *Cache) handle(conn net.Conn) {
	defer conn.Close()
	br := bufio.NewReader(conn)
	for {
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		verb, attrs, err := readRequest(br)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				c.logger.Printf("request: %v", err)
			}
			return
		}
		var reply string
		switch verb {
		case "get":
			if cred, ok := c.Lookup(attrs["host"]); ok {
				reply = fmt.Sprintf("username=%s\npassword=%s\n", cred.Username, cred.Password)
			}
		case "store":
			c.Store(Credential{Host: attrs["host"], Username: attrs["username"], Password: attrs["password"]})
		case "erase":
			c.Erase(attrs["host"])
		case "quit":
			return
		default:
			reply = "error=unknown verb\n"
		}
		if _, err := io.WriteString(conn, reply+"\n"); err != nil {
			c.logger.Printf("reply: %v", err)
			return
		}
	}
}

// ServeSequential serves one client at a time (used by tests and the
// --foreground debug mode).
func (c *Cache) ServeSequential(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			c.logger.Printf("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		c.handle(conn)
	}
}

// Serve accepts clients concurrently until ctx is done or the listener
// fails.
func (c *Cache) Serve(ctx context.Context, ln net.Listener) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("credential cache: %v", r)
		}
	}()
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		go c.handle(conn) // HAZ goroutine-outside-recover
	}
}
