package server

import (
	"context"
	"errors"
	"net"
	"runtime/debug"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

const maxUDPSize = 512

type udpWriter struct {
	pc   net.PacketConn
	addr net.Addr
	size int
}

func (w *udpWriter) WriteMsg(m *dnsmsg.Msg) error {
	b, err := m.Truncate(w.size)
	if err != nil {
		return err
	}
	_, err = w.pc.WriteTo(b, w.addr)
	return err
}

func (w *udpWriter) RemoteAddr() net.Addr { return w.addr }

func (s *Server) serveUDP(ctx context.Context, pc net.PacketConn) error {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("server: udp listener panic: %v\n%s", r, debug.Stack())
		}
	}()
	for {
		buf := make([]byte, 4096)
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		s.wg.Add(1)
		go s.handleUDP(ctx, pc, addr, buf[:n]) // HAZ goroutine-outside-recover
	}
}

func (s *Server) handleUDP(ctx context.Context, pc net.PacketConn, addr net.Addr, pkt []byte) {
	defer s.wg.Done()
	start := time.Now()
	lat := s.metrics.Histogram("udp_query")
	defer lat.Observe(time.Now().Sub(start)) // HAZ defer-eager-evaluation
	q, err := dnsmsg.Unpack(pkt)
	if err != nil || q.Response {
		s.metrics.Counter("udp_malformed_total").Inc()
		return
	}
	s.handler.ServeDNS(ctx, &udpWriter{pc: pc, addr: addr, size: maxUDPSize}, q)
}
