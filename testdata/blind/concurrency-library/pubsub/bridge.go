package pubsub

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"
)

type wireMessage struct {
	Topic   string    `json:"topic"`
	Payload []byte    `json:"payload"`
	At      time.Time `json:"at"`
}

// PushTo dials addr and streams the messages of sub as JSON lines until the
// subscription ends.
func PushTo(addr string, sub *Subscription) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	enc := json.NewEncoder(bw)
	for m := range sub.C() {
		if err := enc.Encode(wireMessage{Topic: m.Topic, Payload: m.Payload, At: m.At}); err != nil {
			return err
		}
	}
	return nil
}

// PushToContext is PushTo with a clean shutdown: the buffer is flushed and
// checked before the connection is closed.
func PushToContext(ctx context.Context, addr string, sub *Subscription) (err error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	bw := bufio.NewWriter(conn)
	enc := json.NewEncoder(bw)
	for {
		select {
		case m, ok := <-sub.C():
			if !ok {
				return bw.Flush() // ok: flushed and checked before the deferred close
			}
			if err := enc.Encode(wireMessage{Topic: m.Topic, Payload: m.Payload, At: m.At}); err != nil {
				return err
			}
		case <-ctx.Done():
			return errors.Join(ctx.Err(), bw.Flush())
		}
	}
}

// ServeConn reads JSON lines from conn and publishes them on b.
func (b *Broker) ServeConn(conn net.Conn) error {
	defer func() error { // HAZ defer-ineffective-return
		if err := conn.Close(); err != nil {
			return fmt.Errorf("pubsub: closing %s: %w", conn.RemoteAddr(), err)
		}
		return nil
	}()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		var w wireMessage
		if err := json.Unmarshal(sc.Bytes(), &w); err != nil {
			return fmt.Errorf("pubsub: bad frame from %s: %w", conn.RemoteAddr(), err)
		}
		if err := b.Publish(Message{Topic: w.Topic, Payload: w.Payload, At: w.At}); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Listen accepts connections on ln and serves each on its own goroutine.
func (b *Broker) Listen(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			if err := b.ServeConn(conn); err != nil {
				b.logger.Printf("pubsub: %v", err) // ok: conn is per-iteration (go1.22)
			}
		}()
	}
}
