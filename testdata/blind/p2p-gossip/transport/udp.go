package transport

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"
)

// UDP is the datagram side of the transport.
type UDP struct {
	conn    *net.UDPConn
	packets chan Packet
	done    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
	logger  *log.Logger
}

// ListenUDP binds addr and starts the read loop.
func ListenUDP(addr string, logger *log.Logger) (*UDP, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("transport: resolve %s: %w", addr, err)
	}
	conn, err := net.ListenUDP("udp", ua)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	u := &UDP{
		conn:    conn,
		packets: make(chan Packet, 256),
		done:    make(chan struct{}),
		logger:  logger,
	}
	u.wg.Add(1)
	go u.readLoop()
	return u, nil
}

// LocalAddr returns the bound address.
func (u *UDP) LocalAddr() *net.UDPAddr {
	return u.conn.LocalAddr().(*net.UDPAddr)
}

// readLoop reads datagrams until the socket is closed. It is the only sender
// on u.packets, so it closes the channel on the way out.
func (u *UDP) readLoop() {
	defer u.wg.Done()
	defer close(u.packets)
	buf := make([]byte, 65536)
	for {
		n, from, err := u.conn.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			u.logger.Printf("transport: udp read: %v", err)
			continue
		}
		pkt := Packet{From: from, Buf: append([]byte(nil), buf[:n]...), At: time.Now()}
		select {
		case u.packets <- pkt:
		case <-u.done:
			return
		}
	}
}

// Packets returns the channel of received datagrams. It is closed when the
// transport is closed.
func (u *UDP) Packets() <-chan Packet {
	return u.packets
}

// Serve runs h for every received packet until the transport is closed and
// returns how many packets were handled.
func (u *UDP) Serve(h Handler) int {
	n := 0
	for pkt := range u.packets {
		u.deliver(h, pkt)
		n++
	}
	return n
}

// ServeParallel runs h on several workers until the transport is closed.
func (u *UDP) ServeParallel(h Handler, workers int) {
	defer func() {
		if r := recover(); r != nil {
			u.logger.Printf("transport: serve: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			for pkt := range u.packets {
				h(pkt)
			}
		}()
	}
	wg.Wait()
}

// deliver runs h for one packet, keeping a misbehaving handler from taking
// the read side down.
func (u *UDP) deliver(h Handler, pkt Packet) {
	defer u.logRecovered(pkt.From, recover()) // HAZ recover-ineffective
	h(pkt)
}

// logRecovered logs a recovered handler panic.
func (u *UDP) logRecovered(from *net.UDPAddr, r any) {
	if r != nil {
		u.logger.Printf("transport: handler for packet from %v panicked: %v", from, r)
	}
}

// SendTo sends one datagram to addr.
func (u *UDP) SendTo(addr string, b []byte) error {
	if len(b) > maxDatagram {
		return fmt.Errorf("transport: %d byte datagram exceeds %d", len(b), maxDatagram)
	}
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return err
	}
	_, err = u.conn.WriteToUDP(b, ua)
	return err
}

// Close stops the read loop and releases the socket.
func (u *UDP) Close() error {
	err := ErrClosed
	u.once.Do(func() {
		close(u.done)
		err = u.conn.Close()
		u.wg.Wait()
	})
	return err
}
