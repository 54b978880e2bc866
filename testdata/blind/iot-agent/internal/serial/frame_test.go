package serial

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	in := Frame{Cmd: CmdRead | 0x80, Payload: []byte{0x01, 0x90}}
	out, err := DecodeFrame(bufio.NewReader(bytes.NewReader(in.Encode())))
	if err != nil {
		t.Fatal(err)
	}
	if out.Cmd != in.Cmd || !bytes.Equal(out.Payload, in.Payload) {
		t.Fatalf("got %v, want %v", out, in)
	}
}

func TestDecodeSkipsNoise(t *testing.T) {
	wire := append([]byte{0x00, 0xFF, 0x13}, Frame{Cmd: CmdIdentify}.Encode()...)
	out, err := DecodeFrame(bufio.NewReader(bytes.NewReader(wire)))
	if err != nil {
		t.Fatal(err)
	}
	if out.Cmd != CmdIdentify {
		t.Fatalf("cmd = %#x", out.Cmd)
	}
}

func TestDecodeBadChecksum(t *testing.T) {
	wire := Frame{Cmd: CmdRead, Payload: []byte{1, 2}}.Encode()
	wire[len(wire)-1] ^= 0xFF
	_, err := DecodeFrame(bufio.NewReader(bytes.NewReader(wire)))
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
}

func TestUint16(t *testing.T) {
	cases := []struct {
		payload []byte
		want    uint16
		wantErr bool
	}{
		{[]byte{0x01, 0x90}, 400, false},
		{[]byte{0x01}, 0, true},
	}
	for _, c := range cases {
		got, err := Frame{Payload: c.payload}.Uint16()
		if (err != nil) != c.wantErr || got != c.want {
			t.Errorf("Uint16(%x) = %d, %v", c.payload, got, err)
		}
	}
}

func TestPortWriteFrame(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ttyS0")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := OpenPort(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.WriteFrame(Frame{Cmd: CmdIdentify}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Frame{Cmd: CmdIdentify}.Encode()) {
		t.Fatalf("wrote %x", got)
	}
}

func TestScanPortsSkipsMissing(t *testing.T) {
	ids := ScanPorts([]string{filepath.Join(t.TempDir(), "missing")})
	if len(ids) != 0 {
		t.Fatalf("ids = %v", ids)
	}
}
