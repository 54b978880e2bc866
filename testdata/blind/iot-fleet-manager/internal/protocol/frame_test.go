package protocol

import (
	"bytes"
	"errors"
	"net"
	"testing"
	"time"
)

func TestFrameRoundTrip(t *testing.T) {
	in := Frame{Type: TypeTelemetry, Seq: 42, Payload: []byte("temperature=21.5")}
	var buf bytes.Buffer
	if err := WriteFrame(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadFrame(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if out.Type != in.Type || out.Seq != in.Seq || !bytes.Equal(out.Payload, in.Payload) {
		t.Fatalf("got %+v, want %+v", out, in)
	}
}

func TestReadFrameDetectsCorruption(t *testing.T) {
	wire := Encode(Frame{Type: TypeAck, Seq: 7, Payload: []byte{1, 2, 3}})
	wire[len(wire)-3] ^= 0xFF
	if _, err := ReadFrame(bytes.NewReader(wire)); !errors.Is(err, ErrBadChecksum) {
		t.Fatalf("err = %v, want ErrBadChecksum", err)
	}
	if _, err := ReadFrame(bytes.NewReader(wire[:5])); err == nil {
		t.Fatal("short frame accepted")
	}
}

func TestPayloadCodecs(t *testing.T) {
	h := Hello{DeviceID: "dev-1", Token: "t0k", Firmware: "2.4.1"}
	gotH, err := DecodeHello(EncodeHello(h))
	if err != nil || gotH != h {
		t.Fatalf("hello: %+v, %v", gotH, err)
	}
	c := Command{ID: 9, Name: "reboot", Args: []byte("now")}
	gotC, err := DecodeCommand(EncodeCommand(c))
	if err != nil || gotC.ID != c.ID || gotC.Name != c.Name || !bytes.Equal(gotC.Args, c.Args) {
		t.Fatalf("command: %+v, %v", gotC, err)
	}
	a := Ack{CommandID: 9, Status: AckFailed, Message: "busy"}
	gotA, err := DecodeAck(EncodeAck(a))
	if err != nil || gotA != a {
		t.Fatalf("ack: %+v, %v", gotA, err)
	}
}

func TestHandshakeOverPipe(t *testing.T) {
	cli, srv := net.Pipe()
	defer cli.Close()
	defer srv.Close()
	auth := TokenAuth{"dev-1": "s3cret"}
	done := make(chan error)
	go func() {
		_, err := ServerHello(srv, auth, time.Second)
		done <- err // HAZ goroutine-blocked-send
	}()
	if err := ClientHello(cli, Hello{DeviceID: "dev-1", Token: "s3cret", Firmware: "1.0.0"}, time.Second); err != nil {
		t.Fatalf("client: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("server: %v", err)
	}
}
