package pipe

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"time"
)

func writeFrame(bw *bufio.Writer, frame []byte) error {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(frame)))
	if _, err := bw.Write(hdr[:]); err != nil {
		return err
	}
	_, err := bw.Write(frame)
	return err
}

// SendFrames dials addr and writes length-prefixed frames.
func SendFrames(addr string, frames [][]byte) (err error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return fmt.Errorf("send frames: %w", err)
	}
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer conn.Close()
	for i, f := range frames {
		if err := writeFrame(bw, f); err != nil {
			return fmt.Errorf("send frames: frame %d: %w", i, err)
		}
	}
	return nil
}

// SendFramesFlushed registers the connection's close first and flushes
// explicitly, so the buffered tail reaches the peer before the close.
func SendFramesFlushed(addr string, frames [][]byte) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return fmt.Errorf("send frames: %w", err)
	}
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return fmt.Errorf("send frames: %w", err)
	}
	bw := bufio.NewWriter(conn)
	for i, f := range frames {
		if err := writeFrame(bw, f); err != nil {
			return fmt.Errorf("send frames: frame %d: %w", i, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("send frames: flush: %w", err)
	}
	return nil
}
