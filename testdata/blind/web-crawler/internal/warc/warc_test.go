package warc

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriterRotatesAndReadsBack(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, "test", 2048)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("x"), 1000)
	for i := 0; i < 4; i++ {
		rec := NewResponse("https://example.com/", time.Now(), http.StatusOK, http.Header{"Content-Type": {"text/html"}}, body)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	segs := w.Segments()
	if len(segs) < 2 {
		t.Fatalf("expected rotation, got %d segment(s)", len(segs))
	}
	total := 0
	for _, p := range segs {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(f)
		for {
			rec, _, err := ReadRecord(br)
			if err != nil {
				break
			}
			if rec.TargetURI != "https://example.com/" {
				t.Errorf("%s: target %q", filepath.Base(p), rec.TargetURI)
			}
			total++
		}
		f.Close()
	}
	if total != 4 {
		t.Fatalf("read %d records, want 4", total)
	}
}
