package protocol

import (
	"bytes"
	"errors"
	"net"
	"testing"
	"time"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	want := Frame{Type: TypeChat, Payload: []byte("gg wp")}
	if err := WriteFrame(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFrame(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != want.Type || !bytes.Equal(got.Payload, want.Payload) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestFrameOverPipe(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()

	errc := make(chan error, 1)
	go func() {
		in, err := Encode(TypeInput, Input{Seq: 7, DX: 1})
		if err != nil {
			errc <- err
			return
		}
		errc <- WriteFrame(client, in)
	}()

	if err := server.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFrame(server)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	in, err := DecodeInput(f)
	if err != nil {
		t.Fatal(err)
	}
	if in.Seq != 7 {
		t.Fatalf("seq = %d, want 7", in.Seq)
	}
}

func TestOversizedFrame(t *testing.T) {
	err := WriteFrame(&bytes.Buffer{}, Frame{Type: TypeState, Payload: make([]byte, MaxPayload+1)})
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err = %v, want ErrFrameTooLarge", err)
	}
}
