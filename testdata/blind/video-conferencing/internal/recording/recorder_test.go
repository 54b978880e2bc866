package recording

import (
	"bytes"
	"errors"
	"io"
	"log"
	"path/filepath"
	"testing"
)

func TestTrackRoundTrip(t *testing.T) {
	dir := t.TempDir()
	rec, err := NewRecorder(dir, 1<<20, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if err := rec.Write(Packet{SSRC: 42, Seq: uint16(i), Payload: []byte{byte(i)}}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	w := rec.current(42)
	if err := w.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	sr, err := OpenSegment(w.path)
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	n := 0
	for {
		pkt, err := sr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if pkt.Seq != uint16(n) {
			t.Fatalf("packet %d has seq %d", n, pkt.Seq)
		}
		n++
	}
	if n != 10 {
		t.Fatalf("read %d packets, want 10", n)
	}
}

func TestManifestAtomicRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "manifest.json")
	want := Manifest{Room: "standup", Tracks: []TrackEntry{{SSRC: 7, Path: "a.seg", Packets: 3}}}
	if err := WriteManifestAtomic(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Room != want.Room || len(got.Tracks) != 1 || got.Tracks[0].SSRC != 7 {
		t.Fatalf("got %+v", got)
	}
}

func TestConcatSmall(t *testing.T) {
	dir := t.TempDir()
	rec, err := NewRecorder(dir, 32, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if err := rec.Write(Packet{SSRC: 1, Seq: uint16(i), Payload: bytes.Repeat([]byte{1}, 20)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.current(1).Close(); err != nil {
		t.Fatal(err)
	}
	segs, err := ListSegments(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Concat(&buf, segs); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 4*(packetHeaderLen+20) {
		t.Fatalf("concatenated %d bytes", buf.Len())
	}
}
