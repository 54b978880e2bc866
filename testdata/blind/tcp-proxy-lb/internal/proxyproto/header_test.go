package proxyproto

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestParseV1(t *testing.T) {
	cases := []struct {
		name    string
		line    string
		wantErr bool
		src     string
	}{
		{"tcp4", "PROXY TCP4 192.0.2.1 198.51.100.7 56324 443", false, "192.0.2.1:56324"},
		{"tcp6", "PROXY TCP6 2001:db8::1 2001:db8::2 4000 443", false, "[2001:db8::1]:4000"},
		{"unknown", "PROXY UNKNOWN", false, ""},
		{"bad ip", "PROXY TCP4 192.0.2.x 198.51.100.7 1 2", true, ""},
		{"bad port", "PROXY TCP4 192.0.2.1 198.51.100.7 99999 2", true, ""},
		{"short", "PROXY TCP4 192.0.2.1", true, ""},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, err := ParseV1(tc.line)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseV1(%q) err = %v, wantErr %v", tc.line, err, tc.wantErr)
			}
			if err != nil || tc.src == "" {
				return
			}
			if got := h.Src.String(); got != tc.src {
				t.Errorf("src = %s, want %s", got, tc.src)
			}
		})
	}
}

func TestReadNoHeader(t *testing.T) {
	br := bufio.NewReader(strings.NewReader("GET / HTTP/1.1\r\n\r\n"))
	if _, err := Read(br); !errors.Is(err, ErrNoHeader) {
		t.Fatalf("err = %v, want ErrNoHeader", err)
	}
	rest, _ := io.ReadAll(br)
	if !bytes.HasPrefix(rest, []byte("GET /")) {
		t.Fatalf("payload consumed: %q", rest)
	}
}

func TestFormatRoundTrip(t *testing.T) {
	h := &Header{
		Version:  1,
		Protocol: "TCP4",
		Src:      &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 1234},
		Dst:      &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2), Port: 80},
	}
	var buf bytes.Buffer
	if _, err := h.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Read(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	if got.Src.String() != h.Src.String() || got.Dst.String() != h.Dst.String() {
		t.Fatalf("round trip: got %v -> %v", got.Src, got.Dst)
	}
}

func TestConnRemoteAddr(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()

	go func() {
		io.WriteString(client, "PROXY TCP4 203.0.113.9 10.0.0.1 5555 443\r\nhello")
	}()
	pc, err := Accept(server, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got := pc.RemoteAddr().String(); got != "203.0.113.9:5555" {
		t.Fatalf("RemoteAddr = %s", got)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(pc, buf); err != nil || string(buf) != "hello" {
		t.Fatalf("payload = %q, %v", buf, err)
	}
}
