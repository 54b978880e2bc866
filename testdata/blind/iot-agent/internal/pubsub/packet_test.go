package pubsub

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func TestPacketRoundTrip(t *testing.T) {
	in := Packet{Type: Publish, ID: 7, Topic: "devices/d1/telemetry", Payload: []byte(`{"t":21.5}`)}
	var buf bytes.Buffer
	if err := WritePacket(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadPacket(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if out.Type != in.Type || out.ID != in.ID || out.Topic != in.Topic || !bytes.Equal(out.Payload, in.Payload) {
		t.Fatalf("got %v, want %v", out, in)
	}
}

func TestReadPacketTooLarge(t *testing.T) {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], MaxPacket+1)
	if _, err := ReadPacket(bytes.NewReader(hdr[:])); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestReadPacketTruncated(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePacket(&buf, Packet{Type: PingReq}); err != nil {
		t.Fatal(err)
	}
	short := buf.Bytes()[:buf.Len()-1]
	if _, err := ReadPacket(bytes.NewReader(short)); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v", err)
	}
}

func TestBrokerAnswersProbe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := NewBroker(time.Minute)
	done := make(chan error, 1)
	go func() { done <- b.Serve(ln) }()
	t.Cleanup(func() {
		b.Close()
		<-done
	})
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := WritePacket(conn, Packet{Type: PingReq}); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPacket(conn)
	if err != nil {
		t.Fatal(err)
	}
	if p.Type != PingResp {
		t.Fatalf("got %v", p.Type)
	}
}

func BenchmarkWritePacket(b *testing.B) {
	p := Packet{Type: Publish, Topic: "devices/d1/telemetry", Payload: make([]byte, 256)}
	for i := 0; i < b.N; i++ {
		if err := WritePacket(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}
