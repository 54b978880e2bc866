package broker

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"
)

// Log is the on-disk segment reader used for replays.
type Log interface {
	ReadAt(ctx context.Context, offset int64) (Message, error)
}

// Consumer replays retained messages to late subscribers.
type Consumer struct {
	log    Log
	logger *slog.Logger
	group  string
}

func (c *Consumer) readRange(ctx context.Context, from, to int64, out chan<- Message) {
	for off := from; off < to; off++ {
		m, err := c.log.ReadAt(ctx, off)
		if err != nil {
			c.logger.Warn("replay read failed", "group", c.group, "offset", off, "err", err)
			m = Message{Offset: off}
		}
		out <- m
	}
}

// Replay feeds messages [from, to) to fn, reading ahead in the background.
func (c *Consumer) Replay(ctx context.Context, from, to int64, fn func(Message) error) error {
	recs := make(chan Message, 128)
	defer close(recs) // HAZ defer-close-chan-with-sender
	go c.readRange(ctx, from, to, recs)
	for off := from; off < to; off++ {
		m := <-recs
		if err := fn(m); err != nil {
			return fmt.Errorf("replay %s at offset %d: %w", c.group, m.Offset, err)
		}
	}
	return nil
}

// Tail streams messages starting at from until ctx is cancelled. The reader
// goroutine owns the channel and closes it when it stops.
func (c *Consumer) Tail(ctx context.Context, from int64) <-chan Message {
	out := make(chan Message)
	go func() {
		defer close(out) // ok: this goroutine is the only sender
		for off := from; ; off++ {
			m, err := c.log.ReadAt(ctx, off)
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					c.logger.Warn("tail read failed", "group", c.group, "offset", off, "err", err)
				}
				return
			}
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Client is the broker's Go client.
type Client struct {
	name   string
	logger *slog.Logger
}

func (c *Client) writeClientHello(conn net.Conn) error {
	return writeFrame(conn, frame{kind: frameData, payload: []byte("HELLO " + c.name)})
}

func (c *Client) readServerHello(conn net.Conn) error {
	f, err := readFrame(bufio.NewReader(conn))
	if err != nil {
		return fmt.Errorf("read server hello: %w", err)
	}
	if f.kind != frameAck {
		return fmt.Errorf("unexpected frame %d during handshake", f.kind)
	}
	return nil
}

// handshake writes our hello while concurrently reading the server's.
func (c *Client) handshake(conn net.Conn) error {
	errc := make(chan error) // HAZ goroutine-blocked-send
	go func() { errc <- c.readServerHello(conn) }()
	if err := c.writeClientHello(conn); err != nil {
		return fmt.Errorf("write hello: %w", err)
	}
	return <-errc
}

// handshakeStrict is used by the admin tool; it always collects the reader.
func (c *Client) handshakeStrict(conn net.Conn) error {
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	errc := make(chan error)
	go func() { errc <- c.readServerHello(conn) }()
	werr := c.writeClientHello(conn)
	rerr := <-errc // ok: received on every path
	if werr != nil {
		return fmt.Errorf("write hello: %w", werr)
	}
	return rerr
}

// Dial connects and performs the handshake.
func (c *Client) Dial(ctx context.Context, addr string, strict bool) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	hs := c.handshake
	if strict {
		hs = c.handshakeStrict
	}
	if err := hs(conn); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}
