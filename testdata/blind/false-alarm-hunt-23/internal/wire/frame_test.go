package wire

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	frames := []Frame{
		{Kind: KindQuery, Fields: []string{"SELECT users", "i:1"}},
		{Kind: KindPing},
		ErrorFrame("42P01", "no such table"),
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, f := range frames {
		if err := w.WriteFrame(f); err != nil {
			t.Fatalf("WriteFrame: %v", err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	r := NewReader(&buf)
	for i, want := range frames {
		got, err := r.ReadFrame()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if got.Kind != want.Kind || len(got.Fields) != len(want.Fields) {
			t.Fatalf("frame %d: got %+v, want %+v", i, got, want)
		}
	}
}

func TestCaptureFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.cap")
	first := []Frame{{Kind: KindStartup, Fields: []string{"app", "main"}}}
	more := []Frame{{Kind: KindTerminate, Fields: []string{}}}
	if err := WriteCapture(path, first); err != nil {
		t.Fatal(err)
	}
	if err := AppendCapture(path, more); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCapture(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := append(first, more...); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestServerError(t *testing.T) {
	err := ErrorFrame("23505", "duplicate key").Err()
	if err == nil || err.Error() != "fahdb: 23505: duplicate key" {
		t.Fatalf("unexpected error %v", err)
	}
	if (Frame{Kind: KindDone}).Err() != nil {
		t.Fatal("done frame must not carry an error")
	}
}
