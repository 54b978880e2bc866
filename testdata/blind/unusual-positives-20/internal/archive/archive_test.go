package archive

import (
	"bytes"
	"compress/gzip"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"example.com/up20/internal/segment"
)

func sampleRecords() []segment.Record {
	return []segment.Record{
		{Stream: "api", Seq: 10, Line: "GET /healthz 200"},
		{Stream: "api", Seq: 11, Line: "GET /users 500"},
	}
}

func TestWriteArchiveSyncedRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.tpa.gz")
	recs := sampleRecords()
	h := HeaderFor("api", recs)
	if err := WriteArchiveSynced(path, h, recs); err != nil {
		t.Fatalf("WriteArchiveSynced: %v", err)
	}
	got, gotRecs, err := ReadArchive(path)
	if err != nil {
		t.Fatalf("ReadArchive: %v", err)
	}
	if got != h {
		t.Errorf("header = %+v, want %+v", got, h)
	}
	if len(gotRecs) != len(recs) {
		t.Fatalf("got %d records, want %d", len(gotRecs), len(recs))
	}
}

func TestSealToWritesHeaderFirst(t *testing.T) {
	b := NewBundler(t.TempDir(), "api-1", "api", nil)
	for _, r := range sampleRecords() {
		b.Add(r)
	}
	var buf bytes.Buffer
	if err := b.SealTo(&buf); err != nil {
		t.Fatalf("SealTo: %v", err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	defer zr.Close()
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if !strings.HasPrefix(string(body), "#tidepool stream=api first=10 last=11 count=2\n") {
		t.Errorf("unexpected body %q", body)
	}
}
