package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"time"

	"example.com/gamesrv/internal/protocol"
)

// bot is one scripted player: it walks in circles and fires now and then.
type bot struct {
	id         string
	addr       string
	secret     []byte
	stats      *stats
	maxRetries int
	dialer     net.Dialer
}

func (b *bot) token() string {
	m := hmac.New(sha256.New, b.secret)
	m.Write([]byte(b.id))
	return hex.EncodeToString(m.Sum(nil))
}

func (b *bot) dial(ctx context.Context) (net.Conn, error) {
	conn, err := b.dialer.DialContext(ctx, "tcp", b.addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", b.addr, err)
	}
	return conn, nil
}

// play keeps the bot connected until ctx ends, reconnecting up to
// maxRetries times.
func (b *bot) play(ctx context.Context) error {
	conn, err := b.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for attempt := 1; ; attempt++ {
		err = b.session(ctx, conn)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if attempt > b.maxRetries {
			return fmt.Errorf("giving up after %d attempts: %w", attempt, err)
		}
		b.stats.add(b.id, func(c *counters) { c.reconnects++ })
		conn, err = b.dial(ctx)
		if err != nil {
			return err
		}
	}
}

// session runs one connection: hello, then inputs at 30 Hz while a reader
// goroutine counts state frames.
func (b *bot) session(ctx context.Context, conn net.Conn) error {
	hello, err := protocol.Encode(protocol.TypeHello, protocol.Hello{PlayerID: b.id, Token: b.token(), Version: protocol.Version})
	if err != nil {
		return err
	}
	if err := protocol.WriteFrame(conn, hello); err != nil {
		return err
	}

	readErr := make(chan error, 1)
	go func() { readErr <- b.readStates(conn) }()

	ticker := time.NewTicker(time.Second / 30)
	defer ticker.Stop()
	var seq uint32
	for {
		select {
		case <-ctx.Done():
			_ = conn.SetDeadline(time.Now()) // unblock the reader
			return ctx.Err()
		case err := <-readErr:
			return err
		case <-ticker.C:
			seq++
			if err := protocol.WriteFrame(conn, inputFrame(seq)); err != nil {
				return err
			}
			b.stats.add(b.id, func(c *counters) { c.inputs++ })
		}
	}
}

func (b *bot) readStates(conn net.Conn) error {
	for {
		f, err := protocol.ReadFrame(conn)
		if err != nil {
			return err
		}
		switch f.Type {
		case protocol.TypeState:
			b.stats.add(b.id, func(c *counters) { c.states++ })
		case protocol.TypePing:
			if err := protocol.WriteFrame(conn, protocol.Frame{Type: protocol.TypePong}); err != nil {
				return err
			}
		case protocol.TypeBye:
			return fmt.Errorf("server said bye: %s", f.Payload)
		}
	}
}

// inputFrame walks the bot in a circle, one revolution every ~4 seconds.
func inputFrame(seq uint32) protocol.Frame {
	a := float64(seq) * (2 * math.Pi / 120)
	in := protocol.Input{Seq: seq, DX: math.Cos(a), DY: math.Sin(a), AimX: math.Cos(a) / 2, AimY: math.Sin(a) / 2, Fire: seq%15 == 0}
	f, err := protocol.Encode(protocol.TypeInput, in)
	if err != nil {
		panic(err) // cannot happen: Input always marshals
	}
	return f
}
