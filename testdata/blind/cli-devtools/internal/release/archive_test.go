package release

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

func TestWriteTarGzRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "tool")
	if err := os.WriteFile(src, []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	b := NewBuilder("tool", "v1.2.3", dir)
	if err := b.Add(src, "bin/tool"); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, b.BaseName()+".tar.gz")
	if err := b.WriteTarGz(archive); err != nil {
		t.Fatal(err)
	}
	names, err := ListTarGz(archive)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "bin/tool" {
		t.Fatalf("archive lists %v", names)
	}
}

func TestChecksumsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, n := range []string{"a.txt", "b.txt"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte(n), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	sums, err := ChecksumAll(paths)
	if err != nil {
		t.Fatal(err)
	}
	sumsPath := filepath.Join(dir, "SHA256SUMS")
	if err := WriteChecksums(sumsPath, sums); err != nil {
		t.Fatal(err)
	}
	bad, err := VerifyChecksums(sumsPath)
	if err != nil || len(bad) != 0 {
		t.Fatalf("verify: %v %v", bad, err)
	}
	keys := make([]string, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if keys[0] != "a.txt" {
		t.Fatalf("keys %v", keys)
	}
}

func TestManifestValidate(t *testing.T) {
	m := NewManifest("tool", "v1.0.0")
	if err := m.Validate(); err == nil {
		t.Fatal("manifest without artifacts accepted")
	}
	m.AddArtifact("tool.tar.gz", "abc")
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
}
