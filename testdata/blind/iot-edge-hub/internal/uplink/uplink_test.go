package uplink

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	in := Message{ID: 7, Topic: "hub/x/temp", Payload: []byte("21.5")}
	if err := writeFrame(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := readFrame(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if out.ID != in.ID || out.Topic != in.Topic || string(out.Payload) != "21.5" {
		t.Fatalf("got %+v", out)
	}
}

func TestReadAck(t *testing.T) {
	id, err := readAck(bufio.NewReader(strings.NewReader("ACK 42\n")))
	if err != nil || id != 42 {
		t.Fatalf("readAck = %d, %v", id, err)
	}
	if _, err := readAck(bufio.NewReader(strings.NewReader("NAK 1\n"))); err == nil {
		t.Fatal("NAK accepted")
	}
}

// pipeBroker answers one handshake on the server end of a pipe.
func pipeBroker(t *testing.T) Dialer {
	t.Helper()
	return func(ctx context.Context, addr string) (net.Conn, error) {
		client, server := net.Pipe()
		go func() {
			defer server.Close()
			br := bufio.NewReader(server)
			if _, err := br.ReadString('\n'); err != nil {
				return
			}
			server.Write([]byte("CONNACK\n"))
			if line, err := br.ReadString('\n'); err == nil && strings.TrimSpace(line) == "PING" {
				server.Write([]byte("PONG\n"))
			}
		}()
		return client, nil
	}
}

func TestProbeAddr(t *testing.T) {
	c := NewClient("broker:1883", "hub1", pipeBroker(t), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.ProbeAddr(ctx, "broker:1883"); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxPersistLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.bin")
	o, err := LoadOutbox(path)
	if err != nil {
		t.Fatal(err)
	}
	if o.Len() != 0 {
		t.Fatalf("new outbox has %d messages", o.Len())
	}
}
