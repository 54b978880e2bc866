package archive

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSaveCheckedRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.csv")
	in := &Snapshot{Records: []Record{{Digest: "sha256:01", Size: 12, Hits: 3}}}
	if err := SaveChecked(path, in); err != nil {
		t.Fatalf("save: %v", err)
	}
	out, err := Load(path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(out.Records) != 1 || out.Records[0] != in.Records[0] {
		t.Fatalf("records = %+v, want %+v", out.Records, in.Records)
	}
}

func TestMergePartsTo(t *testing.T) {
	dir := t.TempDir()
	for i, part := range []string{"ab", "cd"} {
		name := filepath.Join(dir, "part-000"+string(rune('0'+i)))
		if err := os.WriteFile(name, []byte(part), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := MergePartsTo(&buf, dir, 2); err != nil {
		t.Fatalf("merge: %v", err)
	}
	if buf.String() != "abcd" {
		t.Fatalf("merged = %q", buf.String())
	}
}

func TestCommitSyncedPublishes(t *testing.T) {
	scratch, final := t.TempDir(), t.TempDir()
	s := NewSpool(scratch, final)
	if err := s.CommitSynced("blob1", []byte("payload")); err != nil {
		t.Fatalf("commit: %v", err)
	}
	got, err := s.ReadBack("blob1")
	if err != nil || string(got) != "payload" {
		t.Fatalf("read back = %q, %v", got, err)
	}
}
