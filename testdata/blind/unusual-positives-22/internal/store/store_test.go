package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestSnapshotRoundTrip(t *testing.T) {
	st := newTestStore(t)
	want := bytes.Repeat([]byte("tile"), 1000)
	if err := st.WriteSnapshotLevel("a", want, 6); err != nil {
		t.Fatal(err)
	}
	got, err := st.ReadSnapshot("a")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("round trip changed %d bytes into %d", len(want), len(got))
	}
}

func TestMergePartsScoped(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		name := filepath.Join(dir, fmt.Sprintf("part-%04d", i))
		if err := os.WriteFile(name, []byte{byte('a' + i)}, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := MergePartsScoped(dir, 5, &buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "abcde" {
		t.Fatalf("merged %q", buf.String())
	}
}

func block(pairs ...string) []byte {
	var b []byte
	for _, p := range pairs {
		b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return b
}

func TestDecodeBlock(t *testing.T) {
	recs, err := DecodeBlock(block("k1", "v1", "k2", "v2"))
	if err != nil || len(recs) != 2 || recs[1].Value != "v2" {
		t.Fatalf("DecodeBlock = %v, %v", recs, err)
	}
	data := block("k1", "v1")
	if _, err := DecodeBlock(data[:len(data)-1]); err == nil {
		t.Fatal("truncated block decoded without error")
	}
}

func TestJournal(t *testing.T) {
	st := newTestStore(t)
	if err := st.AppendJournalSync([]string{"put a", "put b"}); err != nil {
		t.Fatalf("append: %v", err)
	}
	f, err := os.Open(filepath.Join(st.dir, "journal"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := checksum(f)
	if err != nil {
		t.Fatalf("checksum: %v", err)
	}
	lines, err := st.Journal()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[1] != "put b" || sum == 0 {
		t.Fatalf("journal = %q (sum %d)", lines, sum)
	}
}
