// Package transport carries gossip messages: small ones as UDP datagrams,
// larger exchanges over TCP streams.
package transport

import (
	"errors"
	"net"
	"time"
)

// ErrClosed is returned by operations on a closed transport.
var ErrClosed = errors.New("transport: closed")

// maxDatagram is the largest payload we put in one UDP packet.
const maxDatagram = 1400

// Packet is one received datagram.
type Packet struct {
	From *net.UDPAddr
	Buf  []byte
	At   time.Time
}

// Handler processes a received packet.
type Handler func(Packet)
