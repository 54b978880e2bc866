package daemon

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// answer serves one control connection: one command per line.
func (d *Daemon) answer(conn net.Conn) {
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		switch cmd := strings.TrimSpace(sc.Text()); cmd {
		case "status":
			fmt.Fprintln(conn, d.statusLine())
		case "stats":
			s := d.Stats()
			fmt.Fprintf(conn, "runs=%d failures=%d\n", s.Runs, s.Failures)
		case "quit":
			return
		default:
			fmt.Fprintf(conn, "unknown command %q\n", cmd)
		}
	}
}

// ServeControl accepts control connections on ln until it is closed,
// one goroutine per connection.
func (d *Daemon) ServeControl(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			d.logf("control: accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		go func() {
			defer conn.Close() // ok: the literal's own defer, once per connection
			d.answer(conn)
		}()
	}
}

// ServeDebug serves the debug socket, one client at a time.
func (d *Daemon) ServeDebug(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			d.logf("debug: accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		d.answer(conn)
	}
}

// ServeDebugOnce serves one debug client and returns.
func (d *Daemon) ServeDebugOnce(ln net.Listener) error {
	conn, err := ln.Accept()
	if err != nil {
		return err
	}
	defer conn.Close() // ok: not in a loop
	d.answer(conn)
	return nil
}
