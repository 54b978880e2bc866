package finalizer

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCleanupRemovesStorageAndAudits(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "prod", "pg")
	writeFile(t, filepath.Join(dir, "data", "0001.wal"), "wal")
	c := NewCleaner(root, "", log.New(io.Discard, "", 0))
	if err := c.Cleanup("prod/pg", dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("storage still present: %v", err)
	}
	lines, err := ReadAudit(root)
	if err != nil || len(lines) != 1 {
		t.Fatalf("audit = %q, %v", lines, err)
	}
}

func TestCleanupRefusesPathsOutsideRoot(t *testing.T) {
	root := t.TempDir()
	c := NewCleaner(root, "", log.New(io.Discard, "", 0))
	if err := c.Cleanup("evil", filepath.Dir(root)); err == nil {
		t.Fatal("cleanup outside the storage root was allowed")
	}
}

func TestArchiveToRoundTrip(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "config", "cluster.json"), `{"replicas":3}`)
	var buf bytes.Buffer
	if err := ArchiveTo(&buf, dir); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	found := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		found = found || hdr.Name == "config/cluster.json"
	}
	if !found {
		t.Fatal("config/cluster.json missing from archive")
	}
}

func TestTreeChecksumsMatchCopy(t *testing.T) {
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "a.txt"), "alpha")
	writeFile(t, filepath.Join(src, "sub", "b.txt"), "beta")
	dst := filepath.Join(t.TempDir(), "copy")
	if err := copyTree(src, dst); err != nil {
		t.Fatal(err)
	}
	want, err := TreeChecksums(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := TreeChecksums(dst)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["sub/b.txt"] != want["sub/b.txt"] {
		t.Fatalf("checksums differ: got %v want %v", got, want)
	}
}
