package netx

import (
	"bufio"
	"context"
	"io"
	"net"
	"time"

	"example.com/fah29/internal/ctxutil"
)

// Ping reports how long it takes to connect to addr.
func Ping(ctx context.Context, addr string) (time.Duration, error) {
	var d net.Dialer
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// Probe sends greeting to every address and reports the outcome per address.
func Probe(ctx context.Context, addrs []string, greeting []byte) map[string]error {
	res := make(map[string]error, len(addrs))
	var d net.Dialer
	for _, a := range addrs {
		conn, err := d.DialContext(ctx, "tcp", a)
		if err != nil {
			res[a] = err
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		_, err = conn.Write(greeting)
		res[a] = err
	}
	return res
}

// ProbeEach is Probe that closes every connection before dialing the next.
func ProbeEach(ctx context.Context, addrs []string, greeting []byte) map[string]error {
	res := make(map[string]error, len(addrs))
	for _, a := range addrs {
		res[a] = probeOne(ctx, a, greeting)
	}
	return res
}

func probeOne(ctx context.Context, addr string, greeting []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = ctxutil.Write(ctx, conn, greeting)
	return err
}

// Session is one client connection speaking a line protocol.
type Session struct {
	conn   net.Conn
	handle func(line string) string
}

// NewSession wraps conn; handle computes the reply to each line.
func NewSession(conn net.Conn, handle func(string) string) *Session {
	return &Session{conn: conn, handle: handle}
}

// Serve answers lines until the peer hangs up or ctx is done, then says
// goodbye and closes the connection.
func (s *Session) Serve(ctx context.Context) error {
	defer s.conn.Close()
	defer s.conn.Write([]byte("BYE\r\n")) // HAZ defer-blocking-call
	stop := ctxutil.CloseOnCancel(ctx, s.conn)
	defer stop()
	sc := bufio.NewScanner(s.conn)
	for sc.Scan() {
		if _, err := io.WriteString(s.conn, s.handle(sc.Text())+"\r\n"); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ServeOnce answers a single line and closes the connection.
func (s *Session) ServeOnce(ctx context.Context) error {
	defer s.conn.Close()
	defer ctxutil.CloseOnCancel(ctx, s.conn)()
	line, err := bufio.NewReader(s.conn).ReadString('\n')
	if err != nil {
		return err
	}
	_, err = io.WriteString(s.conn, s.handle(line)+"\r\n")
	return err
}
