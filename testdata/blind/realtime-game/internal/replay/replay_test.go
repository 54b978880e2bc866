package replay

import (
	"path/filepath"
	"testing"
	"time"

	"example.com/realtimegame/internal/protocol"
)

func TestRecorderRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r1"+Ext)
	rec, err := Create(path, Header{RoomID: "r1", Started: time.Now(), TickRate: 30})
	if err != nil {
		t.Fatal(err)
	}
	for tick := uint64(1); tick <= 3; tick++ {
		if err := rec.Record(tick, protocol.Frame{Kind: protocol.KindState, Seq: uint32(tick), Payload: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	h, recs, err := ReadAll(path)
	if err != nil {
		t.Fatal(err)
	}
	if h.RoomID != "r1" || len(recs) != 3 || recs[2].Tick != 3 {
		t.Fatalf("got header %+v and %d records", h, len(recs))
	}
}

func TestCompressChunksKeepsOrder(t *testing.T) {
	chunks := [][]byte{[]byte("a"), []byte("bb"), []byte("ccc")}
	out, err := CompressChunks(chunks, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(chunks) {
		t.Fatalf("got %d chunks", len(out))
	}
}
