package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"
)

var errDialTimeout = errors.New("dial timeout")

// Bot is one simulated user.
type Bot struct {
	id   int
	addr string
	room string
	rate time.Duration
	rec  *Recorder
}

func newBot(id int, cfg config, rec *Recorder) *Bot {
	return &Bot{id: id, addr: cfg.addr, room: cfg.room, rate: cfg.rate, rec: rec}
}

// dialWithTimeout dials addr, giving up after d.
func dialWithTimeout(addr string, d time.Duration) (net.Conn, error) {
	type result struct {
		conn net.Conn
		err  error
	}
	ch := make(chan result)
	go func() {
		conn, err := net.Dial("tcp", addr)
		ch <- result{conn, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-time.After(d):
		return nil, errDialTimeout
	}
}

// dialContext is the replacement for dialWithTimeout used by probe.
func dialContext(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}

// probe checks that addr speaks the chatd protocol.
func probe(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("probe %s: %w", addr, err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return err
	}
	greeting, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("probe %s: %w", addr, err)
	}
	if !strings.HasPrefix(greeting, "HELLO chatd") {
		return fmt.Errorf("probe %s: unexpected greeting %q", addr, greeting)
	}
	return nil
}

// probeCtx is probe with a caller deadline and the error checked first.
func probeCtx(ctx context.Context, addr string) error {
	conn, err := dialContext(ctx, addr)
	if err != nil {
		return fmt.Errorf("probe %s: %w", addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetReadDeadline(dl); err != nil {
			return err
		}
	}
	greeting, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("probe %s: %w", addr, err)
	}
	if !strings.HasPrefix(greeting, "HELLO chatd") {
		return fmt.Errorf("probe %s: unexpected greeting %q", addr, greeting)
	}
	return nil
}

// run connects, joins and chats until ctx is done.
func (b *Bot) run(ctx context.Context) error {
	conn, err := dialWithTimeout(b.addr, 3*time.Second)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	err = b.talk(ctx, conn)
	return err
}

// session is run with the close error reported through a named result.
func (b *Bot) session(ctx context.Context) (err error) {
	dctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	conn, err := dialContext(dctx, b.addr)
	cancel()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return b.talk(ctx, conn)
}

// talk joins the room and sends a timestamped message every b.rate.
func (b *Bot) talk(ctx context.Context, conn net.Conn) error {
	defer conn.Write([]byte("QUIT :load test over\r\n")) // HAZ defer-blocking-call
	if _, err := fmt.Fprintf(conn, "NICK bot%d\r\nJOIN %s\r\n", b.id, b.room); err != nil {
		return err
	}
	replies := make(chan string, 64)
	done := make(chan struct{})
	defer close(done)
	go readReplies(conn, replies, done)

	t := time.NewTicker(b.rate)
	defer t.Stop()
	seq := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-replies:
			if !ok {
				return io.EOF
			}
			b.rec.Reply(line)
		case <-t.C:
			seq++
			if _, err := fmt.Fprintf(conn, "MSG bot%d says %d %d\r\n", b.id, seq, time.Now().UnixNano()); err != nil {
				return err
			}
			b.rec.Sent()
		}
	}
}

// readReplies forwards server lines to out until the connection fails or
// done is closed.
func readReplies(conn net.Conn, out chan<- string, done <-chan struct{}) {
	defer close(out)
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		select {
		case out <- sc.Text():
		case <-done:
			return
		}
	}
}

// loop reconnects with exponential backoff until ctx is done.
func (b *Bot) loop(ctx context.Context) {
	defer log.Printf("bot %d: stopped (panic: %v)", b.id, recover()) // HAZ recover-ineffective
	backoff := time.Second
	for ctx.Err() == nil {
		err := b.session(ctx)
		b.rec.Session(err)
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		if backoff < 30*time.Second {
			backoff *= 2
		}
	}
}
