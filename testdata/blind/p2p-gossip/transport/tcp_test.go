package transport

import (
	"context"
	"net"
	"testing"
	"time"

	"example.com/gossip/wire"
)

func newTestTCP(t *testing.T) *TCP {
	t.Helper()
	tr, err := ListenTCP("127.0.0.1:0", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr
}

func ackHandler(m *wire.Message) (*wire.Message, error) {
	return &wire.Message{Kind: wire.KindAck, Seq: m.Seq}, nil
}

func serveAcks(tr *TCP) {
	for conn := range tr.Streams() {
		go tr.ServeConn(conn, ackHandler)
	}
}

func TestRequestAck(t *testing.T) {
	tr := newTestTCP(t)
	go serveAcks(tr)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	reply, err := tr.Request(ctx, tr.Addr().String(), &wire.Message{Kind: wire.KindPing, Seq: 9})
	if err != nil {
		t.Fatal(err)
	}
	if reply.Kind != wire.KindAck || reply.Seq != 9 {
		t.Fatalf("reply = %+v", reply)
	}
}

func TestManyStreams(t *testing.T) {
	tr := newTestTCP(t)
	go serveAcks(tr)
	for i := 0; i < 8; i++ {
		conn, err := net.DialTimeout("tcp", tr.Addr().String(), time.Second)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := wire.WriteFrame(conn, &wire.Message{Kind: wire.KindPing, Seq: uint64(i)}); err != nil {
			t.Fatal(err)
		}
		reply, err := wire.ReadFrame(conn)
		if err != nil {
			t.Fatal(err)
		}
		if reply.Seq != uint64(i) {
			t.Fatalf("stream %d: reply seq %d", i, reply.Seq)
		}
	}
}

func TestUDPRoundTrip(t *testing.T) {
	a, err := ListenUDP("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b, err := ListenUDP("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })

	if err := a.SendTo(b.LocalAddr().String(), []byte("hello")); err != nil {
		t.Fatal(err)
	}
	select {
	case pkt := <-b.Packets():
		if string(pkt.Buf) != "hello" {
			t.Fatalf("got %q", pkt.Buf)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no packet received")
	}
}
