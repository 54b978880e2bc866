package archive

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func packTestZip(t *testing.T, prefix string, files []File) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "m.zip")
	if err := PackModuleZip(dst, prefix, files); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestVerifyModuleZip(t *testing.T) {
	path := packTestZip(t, "example.com/a@v1.0.0/", []File{
		{Name: "go.mod", Data: []byte("module example.com/a\n")},
		{Name: "a.go", Data: []byte("package a\n")},
	})
	if err := VerifyModuleZip(path, "example.com/a@v1.0.0/", DefaultLimits); err != nil {
		t.Fatal(err)
	}
	if err := VerifyModuleZip(path, "example.com/b@v1.0.0/", DefaultLimits); err == nil {
		t.Fatal("zip accepted under the wrong prefix")
	}
}

func TestVerifyModuleZipRejectsEscape(t *testing.T) {
	path := packTestZip(t, "example.com/a@v1.0.0/", []File{
		{Name: "../../etc/passwd", Data: []byte("root")},
	})
	if err := VerifyModuleZip(path, "example.com/a@v1.0.0/", DefaultLimits); err == nil {
		t.Fatal("zip with a dot-dot entry was accepted")
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "package"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package", "index.js"), []byte("module.exports = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "snap.tgz")
	if err := SnapshotTarGz(dir, dst); err != nil {
		t.Fatal(err)
	}
	names, err := VerifyTarGz(dst, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "package/index.js" {
		t.Fatalf("names = %v", names)
	}
}

func TestPackedZipsHaveModulePrefix(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, name := range []string{"go.mod", "a.go", "sub/b.go"} {
		p := filepath.Join(dir, fmt.Sprintf("m%d.zip", i))
		if err := PackModuleZip(p, "example.com/m@v1.0.0/", []File{{Name: name, Data: []byte("x")}}); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close() // HAZ defer-in-loop
		fi, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(f, fi.Size())
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			if err := checkName(zf.Name, "example.com/m@v1.0.0/"); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		}
	}
}
