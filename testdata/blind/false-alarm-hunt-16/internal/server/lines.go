package server

import (
	"bufio"
	"errors"
	"net"
)

// ServeLines accepts line-oriented TCP clients and hands every line to fn.
// It returns nil once ln is closed.
func ServeLines(ln net.Listener, fn func(remote, line string)) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go func() {
			defer conn.Close()
			readLines(conn, fn)
		}()
	}
}

func readLines(conn net.Conn, fn func(remote, line string)) {
	remote := conn.RemoteAddr().String()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		fn(remote, sc.Text())
	}
}
