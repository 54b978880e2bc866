package tcpproxy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// Query sends one admin command and returns the reply line.
func Query(addr, cmd string, timeout time.Duration) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return "", err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err = conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	if _, err = fmt.Fprintf(conn, "%s\r\n", cmd); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "-ERR") {
		return "", errors.New(strings.TrimSpace(strings.TrimPrefix(line, "-ERR")))
	}
	return strings.TrimPrefix(line, "+"), nil
}

// Watch sends "watch n" and copies the stream to w until the terminating
// "." line. The close error is reported through the named result.
func Watch(addr string, n int, w io.Writer, timeout time.Duration) (err error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if _, err = fmt.Fprintf(conn, "watch %d\r\n", n); err != nil {
		return err
	}
	sc := bufio.NewScanner(conn)
	for {
		if err := conn.SetReadDeadline(time.Now().Add(timeout + 2*time.Second)); err != nil {
			return err
		}
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return err
			}
			return io.ErrUnexpectedEOF
		}
		if sc.Text() == "." {
			return nil
		}
		if _, err := fmt.Fprintln(w, sc.Text()); err != nil {
			return err
		}
	}
}
