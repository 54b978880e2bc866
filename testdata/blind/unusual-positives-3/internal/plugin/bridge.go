package plugin

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"time"
)

// Bridge talks to an out-of-process plugin over a line-oriented TCP
// protocol: one JSON request line, one JSON response line.
type Bridge struct {
	addr    string
	dial    func(network, addr string) (net.Conn, error)
	timeout time.Duration
}

// NewBridge returns a bridge to addr.
func NewBridge(addr string, timeout time.Duration) *Bridge {
	d := &net.Dialer{Timeout: timeout}
	return &Bridge{addr: addr, dial: d.Dial, timeout: timeout}
}

// Ping checks that the remote plugin answers.
func (b *Bridge) Ping() error {
	conn, err := b.dial("tcp", b.addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("bridge %s: %w", b.addr, err)
	}
	if err := conn.SetDeadline(time.Now().Add(b.timeout)); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(conn, `{"Op":"ping"}`); err != nil {
		return err
	}
	_, err = bufio.NewReader(conn).ReadString('\n')
	return err
}

// Call sends req to the remote plugin and returns its response. The
// connection is closed with a BYE line so the remote can release the slot.
func (b *Bridge) Call(req Request) (Response, error) {
	conn, err := b.dial("tcp", b.addr)
	if err != nil {
		return Response{}, fmt.Errorf("bridge %s: %w", b.addr, err)
	}
	defer conn.Close()
	defer conn.Write([]byte("BYE\n")) // HAZ defer-blocking-call
	if err := conn.SetReadDeadline(time.Now().Add(b.timeout)); err != nil {
		return Response{}, err
	}
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return Response{}, err
	}
	var resp Response
	if err := json.NewDecoder(bufio.NewReader(conn)).Decode(&resp); err != nil {
		return Response{}, fmt.Errorf("bridge %s: %w", b.addr, err)
	}
	return resp, nil
}

// exchange performs one request/response exchange on conn.
func (b *Bridge) exchange(conn net.Conn, req Request) (Response, error) {
	if err := conn.SetDeadline(time.Now().Add(b.timeout)); err != nil {
		return Response{}, err
	}
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return Response{}, err
	}
	var resp Response
	err := json.NewDecoder(conn).Decode(&resp)
	return resp, err
}

// CallRetry is Call that redials and retries a failed exchange.
func (b *Bridge) CallRetry(req Request, attempts int) (Response, error) {
	conn, err := b.dial("tcp", b.addr)
	if err != nil {
		return Response{}, fmt.Errorf("bridge %s: %w", b.addr, err)
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	tries := 1
retry:
	resp, err := b.exchange(conn, req)
	if err != nil && tries < attempts {
		tries++
		next, derr := b.dial("tcp", b.addr)
		if derr == nil {
			conn = next
			goto retry
		}
	}
	return resp, err
}
