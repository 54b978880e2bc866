package storage

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestWALAppendThenClose(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWAL(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	var want int
	for i := range 5 {
		rec := []byte(fmt.Sprintf("rec-%d", i))
		want += 8 + len(rec)
		if err := w.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, segmentName(1)))
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() != int64(want) {
		t.Fatalf("segment size %d, want %d", st.Size(), want)
	}
}

func TestTableRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.sst")
	in := []Entry{{Key: []byte("a"), Value: []byte("1")}, {Key: []byte("b"), Value: []byte("2")}}
	if err := WriteTable(path, in); err != nil {
		t.Fatal(err)
	}
	if err := verifyTable(path); err != nil {
		t.Fatalf("verify: %v", err)
	}
	out, err := ReadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) || !bytes.Equal(out[1].Value, in[1].Value) {
		t.Fatalf("read back %v", out)
	}
}

func TestScanAllClosesAfterShards(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Error(err)
		}
	})
	var shards []Shard
	for i := range 3 {
		name := fmt.Sprintf("L0-%06d.sst", i+100)
		if err := WriteTable(filepath.Join(dir, name), []Entry{{Key: []byte{byte('a' + i)}, Value: []byte("v")}}); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, Shard{Tables: []TableInfo{{Name: name}}})
	}
	out := make(chan Entry)
	errc := make(chan error, 1)
	go func() { errc <- e.ScanAll(context.Background(), shards, out) }()
	n := 0
	for range out {
		n++
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("got %d entries, want 3", n)
	}
}
