package server

import (
	"context"
	"io"
	"log"
	"net"
	"net/netip"
	"testing"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
	"example.com/dnsresolver/internal/metrics"
)

type staticHandler struct{ rcode dnsmsg.Rcode }

func (h staticHandler) ServeDNS(ctx context.Context, w ResponseWriter, q *dnsmsg.Msg) {
	if err := w.WriteMsg(q.ErrorReply(h.rcode)); err != nil {
		panic(err)
	}
}

func newTestServer(h Handler) *Server {
	return New(Config{
		Handler: h,
		Metrics: metrics.NewRegistry(),
		Log:     log.New(io.Discard, "", 0),
	})
}

func TestClientAddr(t *testing.T) {
	udp := &net.UDPAddr{IP: net.ParseIP("::ffff:192.0.2.7"), Port: 53}
	if got := clientAddr(udp); got != netip.MustParseAddr("192.0.2.7") {
		t.Errorf("clientAddr(%v) = %v", udp, got)
	}
}

func TestParseUpdateSplitsDeletes(t *testing.T) {
	q := dnsmsg.NewQuery(1, "example.com.", dnsmsg.TypeSOA)
	q.Authority = []dnsmsg.RR{
		{Name: "old.example.com.", Type: dnsmsg.TypeA, Class: 255},
		{Name: "new.example.com.", Type: dnsmsg.TypeA, Class: dnsmsg.ClassINET, TTL: 60, Data: []byte{192, 0, 2, 1}},
	}
	del, add := parseUpdate(q)
	if len(del) != 1 || del[0].Name != "old.example.com." {
		t.Errorf("del = %+v", del)
	}
	if len(add) != 1 || add[0].Name != "new.example.com." {
		t.Errorf("add = %+v", add)
	}
}

func TestTCPConnAnswersAndCloses(t *testing.T) {
	s := newTestServer(staticHandler{rcode: dnsmsg.RcodeNXDomain})
	client, srv := net.Pipe()
	t.Cleanup(func() { client.Close() })
	s.conns[srv] = struct{}{}
	s.wg.Add(1)
	go s.serveTCPConn(context.Background(), srv)

	if err := client.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	w := &tcpWriter{conn: client, timeout: time.Second}
	if err := w.WriteMsg(dnsmsg.NewQuery(42, "nope.example.", dnsmsg.TypeA)); err != nil {
		t.Fatal(err)
	}
	pkt, err := readTCPMsg(client, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := dnsmsg.Unpack(pkt)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ID != 42 || resp.Rcode != dnsmsg.RcodeNXDomain {
		t.Errorf("reply = %+v", resp.Header)
	}
	client.Close()
	s.wg.Wait()
	if n := s.OpenConns(); n != 0 {
		t.Errorf("connection still tracked: %d", n)
	}
}
