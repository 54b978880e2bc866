package uplink

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const maxPayload = 1 << 20

// writeFrame encodes m as: 4-byte ID, 2-byte topic length, topic, 4-byte
// payload length, payload (all big endian).
func writeFrame(w io.Writer, m Message) error {
	if len(m.Topic) > 0xffff || len(m.Payload) > maxPayload {
		return fmt.Errorf("uplink: frame for %q too large", m.Topic)
	}
	var hdr [6]byte
	binary.BigEndian.PutUint32(hdr[0:4], m.ID)
	binary.BigEndian.PutUint16(hdr[4:6], uint16(len(m.Topic)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := io.WriteString(w, m.Topic); err != nil {
		return err
	}
	var plen [4]byte
	binary.BigEndian.PutUint32(plen[:], uint32(len(m.Payload)))
	if _, err := w.Write(plen[:]); err != nil {
		return err
	}
	_, err := w.Write(m.Payload)
	return err
}

// readFrame decodes one frame written by writeFrame.
func readFrame(r io.Reader) (Message, error) {
	var hdr [6]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Message{}, err
	}
	m := Message{ID: binary.BigEndian.Uint32(hdr[0:4])}
	topic := make([]byte, binary.BigEndian.Uint16(hdr[4:6]))
	if _, err := io.ReadFull(r, topic); err != nil {
		return Message{}, io.ErrUnexpectedEOF
	}
	m.Topic = string(topic)
	var plen [4]byte
	if _, err := io.ReadFull(r, plen[:]); err != nil {
		return Message{}, io.ErrUnexpectedEOF
	}
	n := binary.BigEndian.Uint32(plen[:])
	if n > maxPayload {
		return Message{}, fmt.Errorf("uplink: payload of %d bytes", n)
	}
	m.Payload = make([]byte, n)
	if _, err := io.ReadFull(r, m.Payload); err != nil {
		return Message{}, io.ErrUnexpectedEOF
	}
	return m, nil
}

// readAck parses one "ACK <id>" line.
func readAck(br *bufio.Reader) (uint32, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return 0, err
	}
	f := strings.Fields(line)
	if len(f) != 2 || f[0] != "ACK" {
		return 0, fmt.Errorf("uplink: unexpected line %q", strings.TrimSpace(line))
	}
	id, err := strconv.ParseUint(f[1], 10, 32)
	if err != nil {
		return 0, fmt.Errorf("uplink: bad ack id: %w", err)
	}
	return uint32(id), nil
}
