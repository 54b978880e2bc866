package protocol

import (
	"encoding/binary"
	"errors"
)

// ErrShortPayload is returned when a payload ends early.
var ErrShortPayload = errors.New("protocol: short payload")

type encoder struct{ b []byte }

func (e *encoder) u16(v uint16) { e.b = binary.BigEndian.AppendUint16(e.b, v) }
func (e *encoder) u32(v uint32) { e.b = binary.BigEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64) { e.b = binary.BigEndian.AppendUint64(e.b, v) }

func (e *encoder) bytes(p []byte) {
	e.u32(uint32(len(p)))
	e.b = append(e.b, p...)
}

func (e *encoder) str(s string) { e.bytes([]byte(s)) }

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b) < n {
		d.err = ErrShortPayload
		return nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) u16() uint16 {
	if p := d.take(2); p != nil {
		return binary.BigEndian.Uint16(p)
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if p := d.take(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if p := d.take(8); p != nil {
		return binary.BigEndian.Uint64(p)
	}
	return 0
}

func (d *decoder) bytes() []byte {
	n := d.u32()
	p := d.take(int(n))
	if p == nil {
		return nil
	}
	return append([]byte(nil), p...)
}

func (d *decoder) str() string { return string(d.bytes()) }

// ProduceRequest publishes one message.
type ProduceRequest struct {
	Topic string
	Key   []byte
	Value []byte
}

// Marshal encodes the request.
func (p ProduceRequest) Marshal() []byte {
	var e encoder
	e.str(p.Topic)
	e.bytes(p.Key)
	e.bytes(p.Value)
	return e.b
}

// UnmarshalProduce decodes a ProduceRequest.
func UnmarshalProduce(b []byte) (ProduceRequest, error) {
	d := decoder{b: b}
	p := ProduceRequest{Topic: d.str(), Key: d.bytes(), Value: d.bytes()}
	return p, d.err
}

// ProduceAck reports where a message was stored.
type ProduceAck struct {
	Partition int32
	Offset    int64
}

// Marshal encodes the ack.
func (a ProduceAck) Marshal() []byte {
	var e encoder
	e.u32(uint32(a.Partition))
	e.u64(uint64(a.Offset))
	return e.b
}

// UnmarshalProduceAck decodes a ProduceAck.
func UnmarshalProduceAck(b []byte) (ProduceAck, error) {
	d := decoder{b: b}
	a := ProduceAck{Partition: int32(d.u32()), Offset: int64(d.u64())}
	return a, d.err
}

// FetchRequest reads from one partition.
type FetchRequest struct {
	Topic     string
	Partition int32
	Offset    int64
	Max       int32
}

// Marshal encodes the request.
func (f FetchRequest) Marshal() []byte {
	var e encoder
	e.str(f.Topic)
	e.u32(uint32(f.Partition))
	e.u64(uint64(f.Offset))
	e.u32(uint32(f.Max))
	return e.b
}

// UnmarshalFetch decodes a FetchRequest.
func UnmarshalFetch(b []byte) (FetchRequest, error) {
	d := decoder{b: b}
	f := FetchRequest{Topic: d.str(), Partition: int32(d.u32()), Offset: int64(d.u64()), Max: int32(d.u32())}
	return f, d.err
}

// Message is a stored message as seen by consumers.
type Message struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte
	Value     []byte
	Delivery  uint64
}

// Marshal encodes a message.
func (m Message) Marshal() []byte {
	var e encoder
	m.encode(&e)
	return e.b
}

func (m Message) encode(e *encoder) {
	e.str(m.Topic)
	e.u32(uint32(m.Partition))
	e.u64(uint64(m.Offset))
	e.bytes(m.Key)
	e.bytes(m.Value)
	e.u64(m.Delivery)
}

func decodeMessage(d *decoder) Message {
	return Message{
		Topic:     d.str(),
		Partition: int32(d.u32()),
		Offset:    int64(d.u64()),
		Key:       d.bytes(),
		Value:     d.bytes(),
		Delivery:  d.u64(),
	}
}

// UnmarshalMessage decodes one message.
func UnmarshalMessage(b []byte) (Message, error) {
	d := decoder{b: b}
	m := decodeMessage(&d)
	return m, d.err
}

// MarshalMessages encodes a batch of messages.
func MarshalMessages(ms []Message) []byte {
	var e encoder
	e.u32(uint32(len(ms)))
	for _, m := range ms {
		m.encode(&e)
	}
	return e.b
}

// UnmarshalMessages decodes a batch of messages.
func UnmarshalMessages(b []byte) ([]Message, error) {
	d := decoder{b: b}
	n := d.u32()
	if n > MaxFrameSize/16 {
		return nil, ErrFrameTooLarge
	}
	out := make([]Message, 0, n)
	for i := uint32(0); i < n && d.err == nil; i++ {
		out = append(out, decodeMessage(&d))
	}
	return out, d.err
}

// SubscribeRequest joins a consumer group.
type SubscribeRequest struct {
	Group    string
	Member   string
	Topics   []string
	Prefetch int32
}

// Marshal encodes the request.
func (s SubscribeRequest) Marshal() []byte {
	var e encoder
	e.str(s.Group)
	e.str(s.Member)
	e.u32(uint32(len(s.Topics)))
	for _, t := range s.Topics {
		e.str(t)
	}
	e.u32(uint32(s.Prefetch))
	return e.b
}

// UnmarshalSubscribe decodes a SubscribeRequest.
func UnmarshalSubscribe(b []byte) (SubscribeRequest, error) {
	d := decoder{b: b}
	s := SubscribeRequest{Group: d.str(), Member: d.str()}
	n := d.u32()
	for i := uint32(0); i < n && d.err == nil; i++ {
		s.Topics = append(s.Topics, d.str())
	}
	s.Prefetch = int32(d.u32())
	return s, d.err
}

// AckRequest acknowledges (or rejects) a delivery.
type AckRequest struct {
	Delivery uint64
}

// Marshal encodes the request.
func (a AckRequest) Marshal() []byte {
	var e encoder
	e.u64(a.Delivery)
	return e.b
}

// UnmarshalAck decodes an AckRequest.
func UnmarshalAck(b []byte) (AckRequest, error) {
	d := decoder{b: b}
	a := AckRequest{Delivery: d.u64()}
	return a, d.err
}

// ErrorPayload carries an error code and message.
type ErrorPayload struct {
	Code    uint16
	Message string
}

// Marshal encodes the payload.
func (p ErrorPayload) Marshal() []byte {
	var e encoder
	e.u16(p.Code)
	e.str(p.Message)
	return e.b
}

// UnmarshalError decodes an ErrorPayload.
func UnmarshalError(b []byte) (ErrorPayload, error) {
	d := decoder{b: b}
	p := ErrorPayload{Code: d.u16(), Message: d.str()}
	return p, d.err
}

func (p ErrorPayload) Error() string { return p.Message }
