package archive

import (
	"archive/tar"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func writeTree(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"a.txt": "alpha", "sub/b.txt": "bravo"} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestWriteTarGz(t *testing.T) {
	root := writeTree(t)
	dst := filepath.Join(t.TempDir(), "snap.tar.gz")
	res, err := WriteTarGz(dst, []string{root})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 2 {
		t.Fatalf("files = %v", res.Files)
	}
	sum, err := FileSHA256(dst)
	if err != nil || sum != res.SHA256 {
		t.Fatalf("checksum %s (%v), result says %s", sum, err, res.SHA256)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	n := 0
	for {
		if _, err := tr.Next(); err != nil {
			break
		}
		n++
	}
	if n != 4 { // data/, data/a.txt, data/sub/, data/sub/b.txt
		t.Fatalf("tar has %d entries, want 4", n)
	}
}

func TestManifestFlushAndLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "MANIFEST")
	m := NewManifest(path)
	m.Add(Entry{Archive: "home-1.tar.gz", SHA256: "abc", Size: 10, Created: time.Unix(0, 0)})
	if err := m.Flush(); err != nil {
		t.Fatal(err)
	}
	back, err := LoadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := back.Lookup("home-1.tar.gz"); !ok || e.Size != 10 {
		t.Fatalf("Lookup = %+v, %v", e, ok)
	}
}
