package fsx

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteJSONReplacesTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "state.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(target, map[string]int{"a": 1}); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}

	f, err := os.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got map[string]int
	if err := json.NewDecoder(f).Decode(&got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got["a"] != 1 {
		t.Fatalf("got %v, want a=1", got)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestCopyFileAndHeader(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	dst := filepath.Join(dir, "dst")
	payload := bytes.Repeat([]byte("up6"), 100)
	if err := os.WriteFile(src, payload, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CopyFile(dst, src); err != nil {
		t.Fatalf("CopyFile: %v", err)
	}
	for _, n := range []int{0, 3, 1000} {
		head, err := ReadHeader(dst, n)
		if err != nil {
			t.Fatalf("ReadHeader(%d): %v", n, err)
		}
		if want := payload[:min(n, len(payload))]; !bytes.Equal(head, want) {
			t.Errorf("ReadHeader(%d) = %q, want %q", n, head, want)
		}
	}
}
