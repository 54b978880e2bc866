// Package pubsub implements the small MQTT-like protocol spoken between device
// agents and the gateway: length-prefixed packets over TCP, topics with "+" and
// "#" wildcards, at-least-once publishes acknowledged by packet id, and pings.
package pubsub

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// PacketType identifies a packet.
type PacketType byte

// Packet types.
const (
	Connect PacketType = iota + 1
	ConnAck
	Publish
	PubAck
	Subscribe
	SubAck
	PingReq
	PingResp
	Disconnect
)

// MaxPacket is the largest packet body accepted.
const MaxPacket = 1 << 20

// ErrTooLarge is returned for packets over MaxPacket.
var ErrTooLarge = errors.New("pubsub: packet too large")

// Packet is one protocol message. Topic holds the topic or filter; Payload the
// message body or, for Connect, the client id.
type Packet struct {
	Type    PacketType
	ID      uint16
	Topic   string
	Payload []byte
}

var typeNames = map[PacketType]string{
	Connect: "CONNECT", ConnAck: "CONNACK", Publish: "PUBLISH", PubAck: "PUBACK",
	Subscribe: "SUBSCRIBE", SubAck: "SUBACK", PingReq: "PINGREQ", PingResp: "PINGRESP",
	Disconnect: "DISCONNECT",
}

// String returns the protocol name of t.
func (t PacketType) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("PacketType(%d)", byte(t))
}

// String describes p for logs without dumping the payload.
func (p Packet) String() string {
	return fmt.Sprintf("%v id=%d topic=%q len=%d", p.Type, p.ID, p.Topic, len(p.Payload))
}

// WritePacket writes p to w as a 4-byte length followed by the body.
func WritePacket(w io.Writer, p Packet) error {
	if len(p.Topic) > 0xFFFF {
		return fmt.Errorf("pubsub: topic too long (%d bytes)", len(p.Topic))
	}
	body := make([]byte, 0, 9+len(p.Topic)+len(p.Payload))
	body = binary.BigEndian.AppendUint32(body, 0) // length, patched below
	body = append(body, byte(p.Type))
	body = binary.BigEndian.AppendUint16(body, p.ID)
	body = binary.BigEndian.AppendUint16(body, uint16(len(p.Topic)))
	body = append(body, p.Topic...)
	body = append(body, p.Payload...)
	if len(body)-4 > MaxPacket {
		return ErrTooLarge
	}
	binary.BigEndian.PutUint32(body, uint32(len(body)-4))
	_, err := w.Write(body)
	return err
}

// ReadPacket reads one packet from r.
func ReadPacket(r io.Reader) (Packet, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Packet{}, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > MaxPacket {
		return Packet{}, ErrTooLarge
	}
	if n < 5 {
		return Packet{}, fmt.Errorf("pubsub: short packet (%d bytes)", n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return Packet{}, err
	}
	tl := int(binary.BigEndian.Uint16(body[3:5]))
	if 5+tl > len(body) {
		return Packet{}, fmt.Errorf("pubsub: topic length %d exceeds packet", tl)
	}
	return Packet{
		Type:    PacketType(body[0]),
		ID:      binary.BigEndian.Uint16(body[1:3]),
		Topic:   string(body[5 : 5+tl]),
		Payload: body[5+tl:],
	}, nil
}
