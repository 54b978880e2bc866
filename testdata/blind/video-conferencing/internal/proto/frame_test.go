package proto

import (
	"bytes"
	"errors"
	"net"
	"testing"
	"time"
)

func TestFrameRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		f    Frame
	}{
		{"empty", Frame{Op: OpPing}},
		{"join", Frame{Op: OpJoin, Stream: 3, Payload: []byte("room-1/alice")}},
		{"offer", Frame{Op: OpOffer, Stream: 9, Payload: bytes.Repeat([]byte{0xab}, 4096)}},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := WriteFrame(&buf, tc.f); err != nil {
				t.Fatalf("write: %v", err)
			}
			got, err := ReadFrame(&buf)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if got.Op != tc.f.Op || got.Stream != tc.f.Stream || !bytes.Equal(got.Payload, tc.f.Payload) {
				t.Fatalf("round trip: got %v, want %v", got, tc.f)
			}
		})
	}
}

func TestReadFrameRejectsBadMagic(t *testing.T) {
	raw := make([]byte, headerLen)
	raw[2] = byte(OpPing)
	if _, err := ReadFrame(bytes.NewReader(raw)); !errors.Is(err, ErrBadMagic) {
		t.Fatalf("got %v, want ErrBadMagic", err)
	}
}

func TestDecodeCandidateMalformed(t *testing.T) {
	if _, err := DecodeCandidate("udp"); err == nil {
		t.Fatal("expected an error for a truncated candidate")
	}
	c, err := DecodeCandidate("UDP 192.0.2.10:40000 2130706431")
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if c.Proto != "udp" || c.Addr.Port() != 40000 {
		t.Fatalf("unexpected candidate %v", c)
	}
}

func TestConnSendRecv(t *testing.T) {
	a, b := net.Pipe()
	ca, cb := NewConn(a, time.Second), NewConn(b, time.Second)
	defer ca.Close()
	defer cb.Close()

	errc := make(chan error, 1)
	go func() { errc <- ca.Send(Frame{Op: OpJoin, Payload: []byte("room-1")}) }()

	f, err := cb.RecvTimeout(time.Second)
	if err != nil {
		t.Fatalf("recv: %v", err)
	}
	if f.Op != OpJoin || string(f.Payload) != "room-1" {
		t.Fatalf("got %v", f)
	}
	if err := <-errc; err != nil {
		t.Fatalf("send: %v", err)
	}
}
