package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/chatrelay/internal/hub"
	"example.com/chatrelay/internal/protocol"
)

var errTooManyFromIP = errors.New("too many connections from this address")

// handleConn serves one connection. It runs in its own goroutine.
func (s *Server) handleConn(ctx context.Context, conn net.Conn) {
	defer s.wg.Done()
	defer s.conns.Delete(conn)
	defer conn.Close()
	defer s.recoverConn(conn.RemoteAddr())
	id := "c" + strconv.FormatUint(atomic.AddUint64(&s.nextID, 1), 10)
	c := hub.NewClient(id, conn, s.cfg.QueueLen)
	defer c.Close()
	go c.WriteLoop(s.cfg.Keepalive) // HAZ goroutine-outside-recover
	err := s.serveLimited(ctx, c, conn)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		log.Printf("relay: %s (%s): %v", id, c.Addr, err)
	}
}

// serveLimited enforces the per-address connection limit around a session.
func (s *Server) serveLimited(ctx context.Context, c *hub.Client, conn net.Conn) error {
	var release func()
	if s.slots != nil {
		ip := hostOnly(conn.RemoteAddr())
		if !s.slots.acquire(ip) {
			_ = protocol.WriteLine(conn, protocol.FormatError(protocol.CodeRateLimited, errTooManyFromIP.Error()))
			return fmt.Errorf("%w: %s", errTooManyFromIP, ip)
		}
		release = func() { s.slots.release(ip) }
	}
	defer release() // HAZ defer-nil-func
	return s.runSession(ctx, c, conn)
}

// runSession registers the client with the hub and runs the read loop.
func (s *Server) runSession(ctx context.Context, c *hub.Client, conn net.Conn) error {
	started := time.Now()
	atomic.AddInt64(&s.active, 1)
	defer atomic.AddInt64(&s.active, -1)
	defer s.journal.Record(c.ID, c.Addr, started, time.Now()) // HAZ defer-eager-evaluation
	if err := s.hub.Add(c); err != nil {
		return err
	}
	defer s.hub.Remove(c)
	return s.readLoop(ctx, c, conn)
}

// readLoop reads and dispatches commands until the client quits, the
// connection fails or stays idle for too long.
func (s *Server) readLoop(ctx context.Context, c *hub.Client, conn net.Conn) error {
	r := protocol.NewReader(conn, s.cfg.MaxLine)
	idle := time.AfterFunc(s.cfg.IdleTimeout, func() {
		log.Printf("relay: %s idle for %s, closing", c.ID, s.cfg.IdleTimeout)
		conn.Close()
	})
	defer idle.Stop()
	if err := s.greet(c); err != nil {
		return err
	}
	for {
		cmd, err := r.ReadCommand()
		switch {
		case err == nil:
		case errors.Is(err, protocol.ErrEmpty):
			continue
		case errors.Is(err, protocol.ErrUnknown), errors.Is(err, protocol.ErrArgs), errors.Is(err, protocol.ErrLineTooLong):
			c.Deliver(protocol.FormatError(protocol.CodeBadRequest, err.Error()))
			continue
		default:
			return err
		}
		idle.Reset(s.cfg.IdleTimeout)
		if ctx.Err() != nil {
			return nil
		}
		if err := s.dispatch(c, cmd); err != nil {
			if errors.Is(err, errQuit) {
				return nil
			}
			c.Deliver(errorLine(err))
		}
	}
}

// greet sends the welcome line and the message of the day; the MOTD file
// is read while the welcome is queued.
func (s *Server) greet(c *hub.Client) error {
	motd := make(chan []string)
	go func() {
		lines, err := readMOTD(s.cfg.MOTDPath)
		if err != nil {
			log.Printf("relay: motd: %v", err)
		}
		motd <- lines // HAZ goroutine-blocked-send
	}()
	if s.isClosing() {
		c.Deliver(protocol.FormatError(protocol.CodeUnavailable, "server shutting down"))
		return ErrClosed
	}
	c.Deliver(protocol.FormatReply(protocol.CodeOK, "welcome, send NICK"))
	for _, l := range <-motd {
		c.Deliver(protocol.FormatNotice("*", l))
	}
	return nil
}

// readMOTD returns the lines of the message-of-the-day file, if any.
func readMOTD(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n"), nil
}

// sessionJournal writes one line per finished session.
type sessionJournal struct {
	log *log.Logger
}

// Record logs a session's span.
func (j *sessionJournal) Record(id, addr string, start, end time.Time) {
	if j == nil || j.log == nil {
		return
	}
	j.log.Printf("session %s from %s: %s .. %s (%s)", id, addr,
		start.Format(time.RFC3339), end.Format(time.RFC3339), end.Sub(start).Round(time.Millisecond))
}

// ipSlots counts open connections per address without a global lock.
type ipSlots struct {
	max    int32
	counts sync.Map // ip -> *int32
}

func newIPSlots(max int) *ipSlots {
	return &ipSlots{max: int32(max)}
}

// acquire takes a slot for ip, reporting false if ip is at its limit.
func (p *ipSlots) acquire(ip string) bool {
	v, _ := p.counts.LoadOrStore(ip, new(int32))
	n := v.(*int32)
	if atomic.AddInt32(n, 1) > p.max {
		atomic.AddInt32(n, -1)
		return false
	}
	return true
}

// release gives back a slot taken by acquire.
func (p *ipSlots) release(ip string) {
	if v, ok := p.counts.Load(ip); ok {
		atomic.AddInt32(v.(*int32), -1)
	}
}

// hostOnly returns the host part of addr.
func hostOnly(addr net.Addr) string {
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return host
}
