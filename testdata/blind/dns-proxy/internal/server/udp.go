package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// serveUDP reads packets and answers each one in its own goroutine.
func (s *Server) serveUDP() (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.panics.Add(1)
			err = fmt.Errorf("udp loop panic: %v", r)
		}
	}()
	for {
		buf := make([]byte, 4096)
		n, addr, rerr := s.udp.ReadFrom(buf)
		if rerr != nil {
			if s.closing.Load() {
				return nil
			}
			var ne net.Error
			if errors.As(rerr, &ne) && ne.Timeout() {
				continue
			}
			return rerr
		}
		s.inflight.Add(1)
		go s.handlePacket(addr, buf[:n]) // HAZ goroutine-outside-recover
	}
}

// handlePacket answers one UDP query.
func (s *Server) handlePacket(addr net.Addr, pkt []byte) {
	defer s.inflight.Done()
	if s.limit != nil && !s.limit.allow(addr, time.Now()) {
		s.answerRefused(addr, pkt)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.QueryTimeout)
	defer cancel()
	resp := s.answer(ctx, pkt, addr.String(), "udp")
	if resp == nil {
		return
	}
	resp = dnsmsg.Truncate(resp, dnsmsg.UDPSize(pkt))
	if _, err := s.udp.WriteTo(resp, addr); err != nil && !s.closing.Load() {
		log.Printf("server: reply to %s: %v", addr, err)
	}
}
