package handshake

import (
	"context"
	"io"
	"net"
	"time"
)

func beat(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func openFeed(ctx context.Context, addr string) (io.ReadCloser, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}

// The stream closed on the way out is opened after the heartbeat started and never reaches it:
// closing it does not stop the heartbeat, and cancel runs only after the wait.
func followFeed(ctx context.Context, addr string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		beat(ctx)
	}()
	wait := func() { <-done }
	defer wait() // want `deferred wait\(\) .* <-done .*blocks until`

	stream, err := openFeed(ctx, addr)
	if err != nil {
		return err
	}
	defer stream.Close()
	_, err = io.Copy(io.Discard, stream)
	return err
}

// The connection the reader goroutine reads from is closed after the wait is registered, so it
// runs first and ends the read: a handshake.
func readFeed(ctx context.Context, addr string) error {
	conn, err := openFeed(ctx, addr)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(io.Discard, conn)
	}()
	defer func() { <-done }()
	defer conn.Close()
	time.Sleep(10 * time.Millisecond)
	return nil
}

// Opened after the go statement but handed to a second goroutine, which the wait covers too.
func pumpFeed(ctx context.Context, addr string) error {
	done := make(chan struct{}, 2)
	go func() {
		beat(ctx)
		done <- struct{}{}
	}()
	defer func() { <-done; <-done }()
	conn, err := openFeed(ctx, addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	go func() {
		_, _ = io.Copy(io.Discard, conn)
		done <- struct{}{}
	}()
	return nil
}
