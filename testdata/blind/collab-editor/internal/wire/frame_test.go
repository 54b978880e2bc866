package wire

import (
	"bytes"
	"errors"
	"net"
	"testing"
	"time"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	in := Frame{Type: TypeOp, Payload: []byte(`{"kind":1}`)}
	if err := WriteFrame(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), Encode(in)) {
		t.Fatal("WriteFrame and Encode disagree")
	}
	out, err := ReadFrame(&buf, 64)
	if err != nil {
		t.Fatal(err)
	}
	if out.Type != in.Type || !bytes.Equal(out.Payload, in.Payload) {
		t.Fatalf("got %+v, want %+v", out, in)
	}
}

func TestReadFrameTooLarge(t *testing.T) {
	raw := Encode(Frame{Type: TypeOp, Payload: make([]byte, 100)})
	_, err := ReadFrame(bytes.NewReader(raw), 10)
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err = %v, want ErrFrameTooLarge", err)
	}
}

func TestConnOverPipe(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	ca, cb := NewConn(a, 1<<10), NewConn(b, 1<<10)

	errc := make(chan error, 1)
	go func() {
		errc <- ca.WriteBatch([]Frame{{Type: TypePing}, {Type: TypeAck, Payload: []byte("7")}}, time.Second)
	}()
	for _, want := range []Type{TypePing, TypeAck} {
		f, err := cb.Read()
		if err != nil {
			t.Fatal(err)
		}
		if f.Type != want {
			t.Fatalf("type = %s, want %s", f.Type, want)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestHelloRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHello(&buf, Hello{Client: "alice", Doc: "plan"}); err != nil {
		t.Fatal(err)
	}
	h, err := ReadHello(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if h.Client != "alice" || h.Doc != "plan" {
		t.Fatalf("hello = %+v", h)
	}
}
