package admin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
	"time"
)

// The line protocol lets legacy clients that cannot speak HTTP ask for a
// decision: they send "CHECK <tenant>\n" and read "OK <remaining>\n" or
// "DENY <retry-ms>\n".

func (a *API) serveLineConn(conn net.Conn) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for {
		if err := conn.SetReadDeadline(time.Now().Add(2 * time.Minute)); err != nil {
			return
		}
		if !sc.Scan() {
			return
		}
		verb, tenant, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok || verb != "CHECK" || tenant == "" {
			fmt.Fprintf(conn, "ERR bad request\n")
			continue
		}
		d := a.reg.Check(tenant)
		if d.Allowed {
			fmt.Fprintf(conn, "OK %d\n", d.Remaining)
		} else {
			fmt.Fprintf(conn, "DENY %d\n", d.RetryAfter.Milliseconds())
		}
	}
}

// AnswerOnce serves a single CHECK on conn, for load balancers that probe
// with one request per connection, and says goodbye.
func (a *API) AnswerOnce(conn net.Conn) error {
	defer conn.Close()
	defer conn.Write([]byte("BYE\n")) // HAZ defer-blocking-call
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	tenant, ok := strings.CutPrefix(strings.TrimSpace(line), "CHECK ")
	if !ok {
		_, err = fmt.Fprintf(conn, "ERR bad request\n")
		return err
	}
	d := a.reg.Check(tenant)
	_, err = fmt.Fprintf(conn, "%t %d\n", d.Allowed, d.Remaining)
	return err
}

// ServeLines accepts line-protocol connections for the life of the process.
func (a *API) ServeLines(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("lines: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go a.serveLineConn(conn)
	}
}

// ServeLinesContext accepts line-protocol connections until ctx is done.
func (a *API) ServeLinesContext(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return ctx.Err()
			}
			log.Printf("lines: accept: %v", err)
			continue
		}
		go a.serveLineConn(conn)
	}
}
