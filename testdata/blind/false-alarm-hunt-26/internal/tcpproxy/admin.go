package tcpproxy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"time"

	"example.com/fah26/internal/backend"
)

// Admin serves the operator line protocol:
//
//	status | drain NAME | undrain NAME | watch N | quit
type Admin struct {
	Pool        *backend.Pool
	Logger      *log.Logger
	IdleTimeout time.Duration
}

func (a *Admin) logf(format string, args ...any) {
	if a.Logger != nil {
		a.Logger.Printf(format, args...)
	}
}

func (a *Admin) idle() time.Duration {
	if a.IdleTimeout > 0 {
		return a.IdleTimeout
	}
	return 5 * time.Minute
}

// Serve accepts operator connections until ln is closed.
func (a *Admin) Serve(ln net.Listener) error {
	defer ln.Close()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go a.handle(conn)
	}
}

// handle runs one operator session. The goodbye line is written from a
// deferred func that first sets a write deadline, so a client that stopped
// reading cannot keep the session goroutine alive.
func (a *Admin) handle(conn net.Conn) {
	defer conn.Close()
	defer func() {
		_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = io.WriteString(conn, "BYE\r\n")
	}()

	r := bufio.NewReader(conn)
	for {
		if err := conn.SetReadDeadline(time.Now().Add(a.idle())); err != nil {
			return
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "watch" {
			n, _ := strconv.Atoi(strings.Join(fields[1:], ""))
			a.watch(conn, n)
			return
		}
		reply, quit := a.exec(fields)
		_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.WriteString(conn, reply+"\r\n"); err != nil || quit {
			return
		}
	}
}

// exec runs one command. A panic in a command handler is logged and turned
// into an error reply instead of killing the session.
func (a *Admin) exec(fields []string) (reply string, quit bool) {
	defer func() {
		if r := recover(); r != nil {
			a.logf("admin: panic in %q: %v", fields, r)
			reply, quit = "-ERR internal error", true
		}
	}()
	switch cmd := fields[0]; cmd {
	case "quit":
		return "+OK", true
	case "status":
		var sb strings.Builder
		for i, st := range a.Pool.Statuses() {
			if i > 0 {
				sb.WriteString(" ")
			}
			fmt.Fprintf(&sb, "%s=%s/%d", st.Name, st.State, st.Active)
		}
		return "+" + sb.String(), false
	case "drain", "undrain":
		if len(fields) != 2 {
			return "-ERR usage: " + cmd + " NAME", false
		}
		b, ok := a.Pool.Get(fields[1])
		if !ok {
			return "-ERR unknown backend", false
		}
		if cmd == "drain" {
			b.Drain()
		} else if !b.Undrain() {
			return "-ERR not draining", false
		}
		return "+OK", false
	default:
		return "-ERR unknown command " + strconv.Quote(cmd), false
	}
}

// watch streams n status snapshots, one per second, then ends the stream.
// Streaming clears the per-command write deadline.
func (a *Admin) watch(conn net.Conn, n int) {
	if n <= 0 || n > 3600 {
		n = 10
	}
	_ = conn.SetWriteDeadline(time.Time{})
	defer conn.Write([]byte(".\r\n")) // HAZ defer-blocking-call
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for i := 0; i < n; i++ {
		for _, st := range a.Pool.Statuses() {
			if _, err := fmt.Fprintf(conn, "%s %s %d %d\r\n", st.Name, st.State, st.Active, st.Fails); err != nil {
				return
			}
		}
		<-t.C
	}
}
