package vcs

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseStatus(t *testing.T) {
	out := " M main.go\n?? notes.txt\nR  old.go -> new.go\nA  add.go"
	st := ParseStatus(out)
	if len(st) != 4 {
		t.Fatalf("got %d entries, want 4", len(st))
	}
	staged, modified, untracked := st.Counts()
	if staged != 2 || modified != 1 || untracked != 1 {
		t.Errorf("counts = %d %d %d", staged, modified, untracked)
	}
	if st[2].Orig != "old.go" || st[2].Path != "new.go" {
		t.Errorf("rename parsed as %+v", st[2])
	}
}

func TestValidHash(t *testing.T) {
	cases := map[string]bool{
		"0123456789abcdef0123456789abcdef01234567": true,
		"xyz": false,
		"0123456789ABCDEF0123456789abcdef01234567": false,
	}
	for in, want := range cases {
		if got := validHash(in); got != want {
			t.Errorf("validHash(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestSplitLines(t *testing.T) {
	got := splitLines("origin\nupstream\n\nfork")
	if len(got) != 3 || got[2] != "fork" {
		t.Fatalf("splitLines = %q", got)
	}
}

func TestSameFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(a, []byte("same"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("same"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, err := SameFiles(a, b)
	if err != nil || !ok {
		t.Fatalf("SameFiles = %v, %v", ok, err)
	}
}

func TestWriteObjectRoundTrip(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := r.WriteObject([]byte("hello\n"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := r.ReadObject(hash)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "hello\n" {
		t.Errorf("read back %q", data)
	}
}
