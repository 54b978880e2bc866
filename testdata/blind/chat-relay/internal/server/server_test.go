package server

import (
	"net"
	"testing"
)

func TestHostOnly(t *testing.T) {
	cases := map[string]string{
		"192.0.2.7:5555":   "192.0.2.7",
		"[2001:db8::1]:80": "2001:db8::1",
	}
	for in, want := range cases {
		addr, err := net.ResolveTCPAddr("tcp", in)
		if err != nil {
			t.Fatal(err)
		}
		if got := hostOnly(addr); got != want {
			t.Errorf("hostOnly(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestIPSlotsLimit(t *testing.T) {
	p := newIPSlots(2)
	if !p.acquire("a") || !p.acquire("a") {
		t.Fatal("slots within limit refused")
	}
	if p.acquire("a") {
		t.Fatal("third slot granted")
	}
	p.release("a")
	if !p.acquire("a") {
		t.Fatal("released slot not reusable")
	}
	if !p.acquire("b") {
		t.Fatal("other address affected by a's limit")
	}
}
