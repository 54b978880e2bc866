package fixture

import (
	"io"
	"net"
	"time"
)

type peerConn struct {
	raw     net.Conn
	timeout time.Duration
}

// drain reads until the peer closes: with no deadline the wait is the peer's to end.
func (p *peerConn) drain() {
	_, _ = io.Copy(io.Discard, p.raw)
}

func (p *peerConn) serveOne(handle func(net.Conn) error) error {
	defer p.drain() // want `deferred p.drain\(\) → peerConn.drain → io.Copy\(io.Discard, p.raw\) .* reads from a network connection`
	return handle(p.raw)
}

// drainBounded sets a read deadline first: the copy ends by then.
func (p *peerConn) drainBounded() {
	_ = p.raw.SetReadDeadline(time.Now().Add(p.timeout))
	_, _ = io.Copy(io.Discard, p.raw)
}

func (p *peerConn) serveBounded(handle func(net.Conn) error) error {
	defer p.drainBounded()
	return handle(p.raw)
}

// Reading a whole file is no wait for a peer.
func readAllFile(r io.Reader) []byte {
	b, _ := io.ReadAll(r)
	return b
}

func (p *peerConn) serveFile(handle func(net.Conn) error, r io.Reader) error {
	defer readAllFile(r)
	return handle(p.raw)
}

// A deferred read of the whole response from the peer.
func fetchGreeting(addr string) (string, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	var greeting []byte
	defer func() { greeting, _ = io.ReadAll(c) }() // want `io.ReadAll\(c\) .* reads from a network connection`
	return string(greeting), nil
}
