package store

import (
	"bufio"
	"compress/gzip"
	"errors"
	"net"
	"time"
)

// SendBatch writes lines to the collector at addr.
func SendBatch(addr string, lines []string) (err error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer conn.Close() // HAZ defer-order-inverted
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// SendCompressed writes data gzip-compressed to addr.
func SendCompressed(addr string, data []byte) (err error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close() // ok: registered first, runs last
	if err := conn.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	zw := gzip.NewWriter(conn)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: flushes before conn is closed
	_, err = zw.Write(data)
	return err
}
