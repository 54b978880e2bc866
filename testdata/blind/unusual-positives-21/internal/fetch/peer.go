package fetch

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// Peer is another cache node reached over the replication protocol.
type Peer struct {
	Addr    string
	Timeout time.Duration
	Retries int
}

func exchange(conn net.Conn, timeout time.Duration) (string, error) {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	if _, err := io.WriteString(conn, "VERSION\n"); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("peer version: %w", err)
	}
	return strings.TrimSpace(line), nil
}

// Ping dials the peer and reads its version line, redialling refused
// connections while the peer restarts.
func (p *Peer) Ping() (string, error) {
	attempt := 0
redial:
	conn, err := net.DialTimeout("tcp", p.Addr, p.Timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		attempt++
		if attempt < p.Retries {
			time.Sleep(50 * time.Millisecond << attempt)
			goto redial
		}
		return "", err
	}
	return exchange(conn, p.Timeout)
}

// PingOnce dials once and checks the error before deferring the close.
func (p *Peer) PingOnce() (string, error) {
	conn, err := net.DialTimeout("tcp", p.Addr, p.Timeout)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	return exchange(conn, p.Timeout)
}

// negCache remembers recent upstream misses so they are not retried at once.
type negCache struct {
	sync.RWMutex
	misses map[string]time.Time
	ttl    time.Duration
}

func newNegCache(ttl time.Duration) *negCache {
	return &negCache{misses: make(map[string]time.Time), ttl: ttl}
}

// recentlyMissed reports whether key missed upstream within the TTL.
func (c *negCache) recentlyMissed(key string) bool {
	c.RLock()
	defer c.Unlock() // HAZ defer-lock-mismatch
	t, ok := c.misses[key]
	return ok && time.Since(t) < c.ttl
}

// markMissed records an upstream miss for key.
func (c *negCache) markMissed(key string) {
	c.Lock()
	defer c.Unlock()
	c.misses[key] = time.Now()
}

// expired reports whether key's miss has aged out, under the read lock.
func (c *negCache) expired(key string) bool {
	c.RLock()
	defer c.RUnlock()
	t, ok := c.misses[key]
	return !ok || time.Since(t) >= c.ttl
}

// Replicate sends msg to the peer, redialling when a write fails.
func (p *Peer) Replicate(msg []byte) error {
	conn, err := net.DialTimeout("tcp", p.Addr, p.Timeout)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	attempt := 0
resend:
	if _, err := conn.Write(msg); err != nil {
		attempt++
		if attempt > p.Retries {
			return err
		}
		conn, err = net.DialTimeout("tcp", p.Addr, p.Timeout)
		if err != nil {
			return err
		}
		goto resend
	}
	return nil
}

// ReplicateSafe closes the broken connection before redialling, and the
// deferred closure reads conn at exit, so the last connection is closed too.
func (p *Peer) ReplicateSafe(msg []byte) error {
	conn, err := net.DialTimeout("tcp", p.Addr, p.Timeout)
	if err != nil {
		return err
	}
	defer func() { conn.Close() }()
	attempt := 0
resend:
	if _, werr := conn.Write(msg); werr != nil {
		attempt++
		if attempt > p.Retries {
			return werr
		}
		conn.Close()
		next, err := net.DialTimeout("tcp", p.Addr, p.Timeout)
		if err != nil {
			return err
		}
		conn = next
		goto resend
	}
	return nil
}
