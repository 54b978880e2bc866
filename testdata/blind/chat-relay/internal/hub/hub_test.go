package hub

import (
	"net"
	"testing"
)

func TestDeliverDropsWhenFull(t *testing.T) {
	server, peer := net.Pipe()
	defer peer.Close()
	c := NewClient("c1", server, 2)
	defer c.Close()
	for i := 0; i < 2; i++ {
		if !c.Deliver("MSG #t x hi") {
			t.Fatalf("line %d refused with queue space left", i)
		}
	}
	if c.Deliver("MSG #t x overflow") {
		t.Fatal("line accepted past queue size")
	}
	if c.Dropped() != 1 {
		t.Fatalf("Dropped = %d, want 1", c.Dropped())
	}
}
