package server

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"example.com/ftpsrv/internal/protocol"
)

var (
	errNoPorts     = errors.New("no free passive port")
	errNoPASV      = errors.New("use PASV first")
	errDataTimeout = errors.New("client did not open the data connection in time")
)

// portPool hands out passive ports round-robin so that a port is not
// reused while a client may still be connecting to it.
type portPool struct {
	mu    sync.Mutex
	min   int
	max   int
	next  int
	inUse map[int]bool
}

func newPortPool(min, max int) *portPool {
	return &portPool{min: min, max: max, inUse: make(map[int]bool)}
}

// acquire returns a free port.
func (p *portPool) acquire() (int, error) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	n := p.max - p.min + 1
	for i := 0; i < n; i++ {
		port := p.min + (p.next+i)%n
		if !p.inUse[port] {
			p.inUse[port] = true
			p.next = (p.next + i + 1) % n
			p.mu.Unlock()
			return port, nil
		}
	}
	return 0, errNoPorts
}

// release returns a port to the pool.
func (p *portPool) release(port int) {
	p.mu.Lock()
	delete(p.inUse, port)
	p.mu.Unlock()
}

type acceptResult struct {
	conn net.Conn
	err  error
}

// passiveConn is a listener waiting for exactly one data connection.
type passiveConn struct {
	ln    net.Listener
	port  int
	ready chan acceptResult // buffered: the acceptor never blocks
}

// listenPassive opens a listener on a pool port of host and starts the
// goroutine that accepts the single data connection.
func (s *Server) listenPassive(host string) (*passiveConn, error) {
	for attempt := 0; attempt < 8; attempt++ {
		port, err := s.ports.acquire()
		if err != nil {
			return nil, err
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			s.ports.release(port) // taken by another process; try the next one
			continue
		}
		pc := &passiveConn{ln: ln, port: port, ready: make(chan acceptResult, 1)}
		go pc.acceptOnce(s.ports)
		return pc, nil
	}
	return nil, errNoPorts
}

// acceptOnce accepts one connection, closes the listener and frees the
// port.
func (pc *passiveConn) acceptOnce(pool *portPool) {
	c, err := pc.ln.Accept()
	pc.ln.Close()
	pool.release(pc.port)
	pc.ready <- acceptResult{conn: c, err: err}
}

// wait returns the data connection once the client has opened it.
func (pc *passiveConn) wait(timeout time.Duration) (net.Conn, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if cerr := pc.ln.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) && err == nil {
			err = fmt.Errorf("close passive listener: %w", cerr)
		}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-pc.ready:
		return r.conn, r.err
	case <-t.C:
		err = errDataTimeout
		return nil, err
	}
}

// closeData drops a pending passive listener and any connection it
// already accepted.
func (h *handler) closeData() {
	pc := h.pasv
	h.pasv = nil
	if pc == nil {
		return
	}
	_ = pc.ln.Close()
	select {
	case r := <-pc.ready:
		if r.conn != nil {
			r.conn.Close()
		}
	default:
	}
}

// openData hands the pending passive connection to a transfer.
func (h *handler) openData() (net.Conn, error) {
	pc := h.pasv
	h.pasv = nil
	if pc == nil {
		return nil, errNoPASV
	}
	return pc.wait(h.srv.cfg.DataTimeout)
}

func (h *handler) cmdPASV() error {
	h.closeData()
	local, ok := h.conn.LocalAddr().(*net.TCPAddr)
	if !ok {
		return h.conn.Reply(protocol.CodeCantOpenData, "Passive mode needs TCP")
	}
	pc, err := h.srv.listenPassive(local.IP.String())
	if err != nil {
		return h.conn.Reply(protocol.CodeCantOpenData, "Can't open passive connection: %v", err)
	}
	announce := &net.TCPAddr{IP: local.IP, Port: pc.port}
	if ip := net.ParseIP(h.srv.cfg.PublicHost); ip != nil {
		announce.IP = ip
	}
	text, err := protocol.FormatPASV(announce)
	if err != nil {
		pc.ln.Close()
		return h.conn.Reply(protocol.CodeCantOpenData, "%v", err)
	}
	h.pasv = pc
	return h.conn.Reply(protocol.CodePassive, "%s", text)
}
