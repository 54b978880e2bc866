package session

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
)

// Tunnel exposes a local TCP port that is spliced to a device-side
// service through a relay connection, for operators debugging a device.
type Tunnel struct {
	ln  net.Listener
	log *log.Logger
	// dial opens the device-side leg of one tunnelled connection.
	dial func(ctx context.Context) (net.Conn, error)
}

// OpenTunnel listens on a loopback port for tunnelled connections.
func OpenTunnel(dial func(ctx context.Context) (net.Conn, error), logger *log.Logger) (*Tunnel, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return &Tunnel{ln: ln, log: logger, dial: dial}, nil
}

// Addr returns the local address operators connect to.
func (t *Tunnel) Addr() string { return t.ln.Addr().String() }

// Close stops accepting tunnelled connections.
func (t *Tunnel) Close() error { return t.ln.Close() }

// Serve accepts connections until the tunnel is closed.
func (t *Tunnel) Serve(ctx context.Context) error {
	if err := t.probe(ctx); err != nil {
		return fmt.Errorf("session: tunnel target unreachable: %w", err)
	}
	for {
		c, err := t.ln.Accept()
		if err != nil {
			return err
		}
		go t.handle(ctx, c)
	}
}

func (t *Tunnel) handle(ctx context.Context, local net.Conn) {
	defer local.Close()
	remote, err := t.dial(ctx)
	if err != nil {
		t.log.Printf("tunnel: dial device: %v", err)
		return
	}
	defer remote.Close()
	t.splice(local, remote)
}

// splice copies in both directions until one side fails.
func (t *Tunnel) splice(a, b net.Conn) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		if _, err := io.Copy(a, b); err != nil {
			t.log.Printf("tunnel: device->operator: %v", err)
			return
		}
		wg.Done() // HAZ waitgroup-done-path
	}()
	go func() {
		defer wg.Done()
		io.Copy(b, a)
	}()
	wg.Wait()
}

// probe checks that the device-side service answers; the connection is
// closed only when the dial succeeded.
func (t *Tunnel) probe(ctx context.Context) error {
	c, err := t.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte{0})
	return err
}

// DialProbe checks that a device-side address accepts connections.
func DialProbe(addr string) error {
	c, err := net.Dial("tcp", addr)
	defer c.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	_, err = c.Write([]byte("PING\n"))
	return err
}
