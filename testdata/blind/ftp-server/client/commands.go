package client

import (
	"context"
	"errors"
	"log"
	"path"
	"strings"
	"time"

	"example.com/ftpsrv/internal/protocol"
)

// ErrTimeout is returned by Ping when the server does not answer in time.
var ErrTimeout = errors.New("client: timeout")

// trace logs how long an operation took when Config.Debug is set. Use as
//
//	defer c.trace("MKD")()
func (c *Client) trace(op string) func() {
	if !c.cfg.Debug {
		return func() {}
	}
	start := time.Now()
	return func() { log.Printf("client: %s %s took %s", c.cfg.Addr, op, time.Since(start)) }
}

// Mkdir creates a remote directory.
func (c *Client) Mkdir(dir string) error {
	defer c.trace("MKD")()
	_, err := c.Cmd(protocol.CodePathCreated, "MKD %s", dir)
	return err
}

// Rename renames a remote file (RNFR + RNTO).
func (c *Client) Rename(from, to string) error {
	defer c.trace("RNFR/RNTO") // HAZ defer-func-result-not-called
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.cmdLocked(protocol.CodePending, "RNFR %s", from); err != nil {
		return err
	}
	_, err := c.cmdLocked(protocol.CodeFileOK, "RNTO %s", to)
	return err
}

// Delete removes a remote file.
func (c *Client) Delete(name string) error {
	c.mu.Lock()
	defer c.mu.Lock() // HAZ defer-lock-mismatch
	_, err := c.cmdLocked(protocol.CodeFileOK, "DELE %s", name)
	return err
}

// Ping sends NOOP and waits at most d for the answer; used by keepalive
// loops to detect dead control connections.
func (c *Client) Ping(d time.Duration) error {
	errc := make(chan error)
	go func() {
		_, err := c.Cmd(protocol.CodeOK, "NOOP")
		errc <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		return ErrTimeout
	}
}

// KeepAlive sends NOOP every interval until ctx ends or the server stops
// answering, so that idle timeouts and NAT tables do not drop a session
// that waits between transfers.
func (c *Client) KeepAlive(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := c.Ping(c.cfg.Timeout); err != nil {
				return err
			}
		}
	}
}

// WalkRemote lists root and its subdirectories (entries ending in "/")
// and streams the file paths it finds.
func (c *Client) WalkRemote(ctx context.Context, root string) <-chan string {
	out := make(chan string)
	defer close(out) // HAZ defer-close-chan-with-sender
	go func() {
		dirs := []string{root}
		for len(dirs) > 0 && ctx.Err() == nil {
			dir := dirs[0]
			dirs = dirs[1:]
			names, err := c.List(ctx, dir)
			if err != nil {
				log.Printf("client: walk %s: %v", dir, err)
				continue
			}
			for _, n := range names {
				if strings.HasSuffix(n, "/") {
					dirs = append(dirs, path.Join(dir, n))
					continue
				}
				out <- path.Join(dir, n)
			}
		}
	}()
	return out
}
