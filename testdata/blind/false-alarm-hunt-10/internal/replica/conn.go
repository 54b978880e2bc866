package replica

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"
)

const maxFrame = 256 << 20

// PushSnapshot sends snap to the first reachable peer and returns its
// address.
func PushSnapshot(ctx context.Context, peers []string, snap []byte) (string, error) {
	var d net.Dialer
	var errs []error
	for _, addr := range peers {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		defer conn.Close()
		return addr, sendFrame(conn, snap)
	}
	return "", fmt.Errorf("no peer reachable: %w", errors.Join(errs...))
}

// sendFrame writes a length-prefixed frame with a write deadline.
func sendFrame(conn net.Conn, payload []byte) error {
	if err := conn.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	var hdr [8]byte
	binary.BigEndian.PutUint64(hdr[:], uint64(len(payload)))
	if _, err := bw.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := bw.Write(payload); err != nil {
		return err
	}
	return bw.Flush()
}

// readFrame reads one frame written by sendFrame.
func readFrame(r io.Reader) ([]byte, error) {
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint64(hdr[:])
	if n > maxFrame {
		return nil, fmt.Errorf("frame of %d bytes exceeds limit", n)
	}
	buf := make([]byte, n)
	_, err := io.ReadFull(r, buf)
	return buf, err
}

// Serve accepts replication connections until ctx ends and passes every
// received frame to handle. It returns after all connections are finished.
func Serve(ctx context.Context, ln net.Listener, handle func([]byte) error, logger *log.Logger) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	for {
		conn, err := ln.Accept()
		if err != nil {
			wg.Wait()
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			conn.SetReadDeadline(time.Now().Add(time.Minute))
			frame, err := readFrame(bufio.NewReader(conn))
			if err == nil {
				err = handle(frame)
			}
			if err != nil {
				logger.Printf("replica %s: %v", conn.RemoteAddr(), err)
			}
		}()
	}
}
