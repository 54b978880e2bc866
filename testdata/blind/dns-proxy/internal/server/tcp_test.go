package server

import (
	"bytes"
	"net"
	"testing"
)

func TestTCPFraming(t *testing.T) {
	client, srv := net.Pipe()
	defer client.Close()
	defer srv.Close()
	msg := bytes.Repeat([]byte{0xAB}, 40)
	errc := make(chan error, 1)
	go func() {
		errc <- writeTCPMsg(client, msg)
	}()
	got, err := readTCPMsg(srv)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("got %x", got)
	}
}

func TestReadRSS(t *testing.T) {
	if got := readRSS(bytes.NewBufferString("1000 250 30 1 0 400 0\n")); got != 250 {
		t.Fatalf("readRSS = %d, want 250", got)
	}
}
