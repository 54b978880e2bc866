package pool

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// Conn is a pooled connection speaking a one-line request/reply protocol.
type Conn struct {
	net.Conn
	pool    *Pool
	created time.Time
	broken  bool
	rd      *bufio.Reader
}

func (c *Conn) expired(max time.Duration) bool {
	return max > 0 && time.Since(c.created) > max
}

// Release returns the connection to its pool.
func (c *Conn) Release() { c.pool.Put(c) }

// MarkBroken makes the pool close the connection instead of reusing it.
func (c *Conn) MarkBroken() { c.broken = true }

// Exec sends one command line and reads one reply line, within ctx's
// deadline when it has one.
func (c *Conn) Exec(ctx context.Context, cmd string) (string, error) {
	if dl, ok := ctx.Deadline(); ok {
		if err := c.SetDeadline(dl); err != nil {
			c.broken = true
			return "", err
		}
		defer c.SetDeadline(time.Time{})
	}
	if _, err := io.WriteString(c.Conn, cmd+"\r\n"); err != nil {
		c.broken = true
		return "", err
	}
	if c.rd == nil {
		c.rd = bufio.NewReader(c.Conn)
	}
	line, err := c.rd.ReadString('\n')
	if err != nil {
		c.broken = true
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if msg, ok := strings.CutPrefix(line, "-"); ok {
		return "", fmt.Errorf("pool: server error: %s", msg)
	}
	return strings.TrimPrefix(line, "+"), nil
}

// Ping checks that the backend answers.
func (c *Conn) Ping(ctx context.Context) error {
	reply, err := c.Exec(ctx, "PING")
	if err != nil {
		return err
	}
	if reply != "PONG" {
		return fmt.Errorf("pool: unexpected ping reply %q", reply)
	}
	return nil
}

// logCall reports a failed backend call.
func (p *Pool) logCall(cmd string, err error) {
	if err != nil && p.OnError != nil {
		p.OnError(cmd, err)
	}
}

// Do runs one command on a pooled connection and reports failures to
// OnError.
func (p *Pool) Do(ctx context.Context, cmd string) (reply string, err error) {
	defer p.logCall(cmd, err) // HAZ defer-eager-evaluation
	err = p.WithConn(ctx, func(c *Conn) error {
		var execErr error
		reply, execErr = c.Exec(ctx, cmd)
		return execErr
	})
	return reply, err
}

// DoNotify is Do with a per-call callback instead of OnError; the outcome
// is read when the call has finished.
func (p *Pool) DoNotify(ctx context.Context, cmd string, done func(error)) (reply string, err error) {
	defer func() {
		if done != nil {
			done(err)
		}
	}()
	err = p.WithConn(ctx, func(c *Conn) error {
		var execErr error
		reply, execErr = c.Exec(ctx, cmd)
		return execErr
	})
	return reply, err
}
