package protocol

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func TestFrameRoundTrip(t *testing.T) {
	in := Frame{Type: TypeProduce, Corr: 42, Payload: ProduceRequest{Topic: "orders", Key: []byte("k"), Value: []byte("v")}.Marshal()}
	var buf bytes.Buffer
	if err := WriteFrame(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadFrame(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if out.Type != in.Type || out.Corr != in.Corr || !bytes.Equal(out.Payload, in.Payload) {
		t.Fatalf("round trip mismatch: %+v vs %+v", out, in)
	}
}

func TestReadFrameShort(t *testing.T) {
	b := Encode(Frame{Type: TypeAck, Corr: 1, Payload: []byte("abcdef")})
	_, err := ReadFrame(bytes.NewReader(b[:len(b)-2]))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("want unexpected EOF, got %v", err)
	}
}

func TestMessagesRoundTrip(t *testing.T) {
	ms := []Message{
		{Topic: "a", Partition: 1, Offset: 7, Key: []byte("x"), Value: []byte("y"), Delivery: 9},
		{Topic: "b", Partition: 0, Offset: 8, Value: []byte("z")},
	}
	got, err := UnmarshalMessages(MarshalMessages(ms))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Offset != 7 || got[1].Topic != "b" {
		t.Fatalf("unexpected %+v", got)
	}
}

// TestFrameOverPipe exercises the codec over a synchronous net.Pipe; the
// writer goroutine reports on a buffered channel so a failed read in the
// test body does not strand it.
func TestFrameOverPipe(t *testing.T) {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	errc := make(chan error, 1)
	go func() {
		errc <- WriteFrame(a, Frame{Type: TypeHeartbeat, Corr: 3})
	}()
	if err := b.SetReadDeadline(time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFrame(b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Type != TypeHeartbeat {
		t.Fatalf("type = %v", f.Type)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func BenchmarkEncode(b *testing.B) {
	f := Frame{Type: TypeDeliver, Corr: 1, Payload: make([]byte, 512)}
	buf := make([]byte, 0, 1024)
	for i := 0; i < b.N; i++ {
		buf = f.AppendTo(buf[:0])
	}
}
