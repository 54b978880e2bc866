package tcpproxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Pipe copies client->upstream and upstream->client until both directions
// are finished. Each direction half-closes its destination when its source
// hits EOF, so the other direction can drain. It returns the byte counts and
// the first error that is not a clean EOF.
func Pipe(client, upstream net.Conn, idle time.Duration) (sent, received int64, err error) {
	errc := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer catchPanic(errc)
		n, err := copyIdle(upstream, client, idle)
		sent = n
		closeWrite(upstream)
		errc <- err
	}()
	go func() {
		defer wg.Done()
		defer catchPanic(errc)
		n, err := copyIdle(client, upstream, idle)
		received = n
		closeWrite(client)
		errc <- err
	}()
	wg.Wait()
	close(errc)
	for e := range errc {
		if e != nil && err == nil {
			err = e
		}
	}
	return sent, received, err
}

// catchPanic is deferred by each copy goroutine. Recover is per goroutine:
// the handler's own recover cannot see these panics. The send never blocks.
func catchPanic(errc chan<- error) {
	if r := recover(); r != nil {
		select {
		case errc <- fmt.Errorf("tcpproxy: panic in copy: %v", r):
		default:
		}
	}
}

// copyIdle copies src to dst, failing when src is silent for longer than
// idle (if idle > 0).
func copyIdle(dst, src net.Conn, idle time.Duration) (int64, error) {
	buf := make([]byte, 32<<10)
	var total int64
	for {
		if idle > 0 {
			if err := src.SetReadDeadline(time.Now().Add(idle)); err != nil {
				return total, err
			}
		}
		n, rerr := src.Read(buf)
		if n > 0 {
			w, werr := dst.Write(buf[:n])
			total += int64(w)
			if werr != nil {
				return total, werr
			}
		}
		if errors.Is(rerr, io.EOF) {
			return total, nil
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// closeWrite half-closes c if it supports it, and closes it otherwise.
func closeWrite(c net.Conn) {
	type closeWriter interface{ CloseWrite() error }
	if cw, ok := c.(closeWriter); ok {
		_ = cw.CloseWrite()
		return
	}
	_ = c.Close()
}
