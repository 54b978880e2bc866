package export

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"time"
)

// Session is a connection to the archive collector. The embedded conn
// provides Read, Write and Close.
type Session struct {
	net.Conn
	peer string
}

// dialSession connects to the collector and greets it.
func dialSession(addr string) (*Session, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(c, "HELLO up13\n"); err != nil {
		c.Close()
		return nil, err
	}
	return &Session{Conn: c, peer: addr}, nil
}

// SendLines sends lines to the collector, one per line.
func SendLines(addr string, lines []string) error {
	sess, err := dialSession(addr)
	defer sess.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("export: dial %s: %w", addr, err)
	}
	bw := bufio.NewWriter(sess)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// SendLinesChecked is SendLines with the dial error checked first and the
// buffered data flushed, with its error, before the deferred close.
func SendLinesChecked(addr string, lines []string) (err error) {
	sess, err := dialSession(addr)
	if err != nil {
		return fmt.Errorf("export: dial %s: %w", addr, err)
	}
	defer func() { err = errors.Join(err, sess.Close()) }()
	bw := bufio.NewWriter(sess)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}
