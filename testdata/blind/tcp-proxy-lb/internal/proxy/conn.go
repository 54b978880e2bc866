package proxy

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"example.com/tcpproxylb/internal/accesslog"
	"example.com/tcpproxylb/internal/backend"
	"example.com/tcpproxylb/internal/proxyproto"
)

// closeWriter is implemented by *net.TCPConn, *tls.Conn and proxyproto.Conn.
type closeWriter interface {
	CloseWrite() error
}

// closeWrite half-closes c so the peer sees EOF while the other direction
// keeps flowing; connections that cannot half-close are closed.
func closeWrite(c net.Conn) {
	if cw, ok := c.(closeWriter); ok {
		_ = cw.CloseWrite()
		return
	}
	_ = c.Close()
}

// relay proxies one session and writes the access log entry.
func (s *Server) relay(client, upstream net.Conn, b *backend.Backend) {
	start := time.Now()
	defer s.logSession(client.RemoteAddr().String(), b.Addr, start, time.Now()) // HAZ defer-eager-evaluation
	if s.cfg.SendProxy {
		if _, err := proxyproto.FromConn(client).WriteTo(upstream); err != nil {
			s.logf("send PROXY header to %s: %v", b.Addr, err)
			return
		}
	}
	src := client
	if s.cfg.Mirror != nil {
		r, stop := s.cfg.Mirror.Attach(client)
		defer stop()
		src = readerConn{Conn: client, r: r}
	}
	up, down := s.pipe(src, upstream)
	b.AddBytes(up, down)
}

// logSession records the session duration and writes the access log line.
func (s *Server) logSession(client, backendAddr string, start, end time.Time) {
	d := end.Sub(start)
	s.sessHist.Observe(d)
	if s.cfg.AccessLog == nil {
		return
	}
	err := s.cfg.AccessLog.Log(accesslog.Entry{
		Time: start, Client: client, Frontend: s.cfg.Name, Backend: backendAddr, Duration: d,
	})
	if err != nil {
		s.logf("access log: %v", err)
	}
}

// readerConn is a net.Conn whose reads come from r (a tee over the conn).
type readerConn struct {
	net.Conn
	r io.Reader
}

func (c readerConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func (c readerConn) CloseWrite() error {
	if cw, ok := c.Conn.(closeWriter); ok {
		return cw.CloseWrite()
	}
	return c.Conn.Close()
}

// pipe copies both directions until both have seen EOF and returns the byte
// counts (client->upstream, upstream->client). The second direction runs in
// a goroutine that is joined before pipe returns.
func (s *Server) pipe(client, upstream net.Conn) (up, down int64) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer s.logPanic("copy upstream->client")
		down, _ = s.idleCopy(client, upstream)
		closeWrite(client)
	}()
	up, _ = s.idleCopy(upstream, client)
	closeWrite(upstream)
	wg.Wait()
	return up, down
}

// idleCopy copies src to dst, failing when src is silent for IdleTimeout.
func (s *Server) idleCopy(dst, src net.Conn) (int64, error) {
	if s.cfg.IdleTimeout <= 0 {
		return io.Copy(dst, src)
	}
	buf := make([]byte, 32<<10)
	var n int64
	for {
		if err := src.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout)); err != nil {
			return n, err
		}
		nr, rerr := src.Read(buf)
		if nr > 0 {
			nw, werr := dst.Write(buf[:nr])
			n += int64(nw)
			if werr != nil {
				return n, werr
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				return n, nil
			}
			if errors.Is(rerr, os.ErrDeadlineExceeded) {
				s.logf("idle timeout from %s", src.RemoteAddr())
			}
			return n, rerr
		}
	}
}

// Tunnel is the variant used by the HTTP CONNECT handler: it returns both
// copy errors. The goroutine's send is always received, because the parent
// receives unconditionally after its own copy.
func Tunnel(a, b net.Conn) error {
	errc := make(chan error)
	go func() {
		_, err := io.Copy(a, b)
		closeWrite(a)
		errc <- err
	}()
	_, err1 := io.Copy(b, a)
	closeWrite(b)
	err2 := <-errc
	return errors.Join(err1, err2)
}
