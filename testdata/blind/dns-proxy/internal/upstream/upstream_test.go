package upstream

import (
	"context"
	"net"
	"testing"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// fakeUDPServer answers every query with NXDOMAIN until the test ends.
func fakeUDPServer(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			resp, err := dnsmsg.ErrorResponse(buf[:n], dnsmsg.RcodeNXDomain)
			if err != nil {
				continue
			}
			pc.WriteTo(resp, addr)
		}
	}()
	t.Cleanup(func() {
		pc.Close()
		<-done
	})
	return pc.LocalAddr().String()
}

func TestExchangeUDP(t *testing.T) {
	u := New(fakeUDPServer(t), "udp", time.Second)
	q, err := dnsmsg.NewQuery(0x1234, "nothing.example", dnsmsg.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := u.Exchange(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if dnsmsg.ID(resp) != 0x1234 || dnsmsg.Rcode(resp) != dnsmsg.RcodeNXDomain {
		t.Fatalf("resp = %x", resp)
	}
}

func TestPickSkipsUnhealthy(t *testing.T) {
	a, b := New("192.0.2.1", "udp", time.Second), New("192.0.2.2", "udp", time.Second)
	for i := 0; i < maxFailures; i++ {
		a.markResult(context.DeadlineExceeded, 0)
	}
	p := NewPool([]*Upstream{a, b}, time.Minute, time.Second)
	for i := 0; i < 3; i++ {
		u, err := p.Pick()
		if err != nil || u != b {
			t.Fatalf("Pick = %v, %v; want %v", u, err, b)
		}
	}
}
