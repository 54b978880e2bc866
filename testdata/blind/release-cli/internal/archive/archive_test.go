package archive

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteTarGzRoundTrip(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "relcli")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho relcli\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "relcli_1.0.0_linux_amd64.tar.gz")
	if err := WriteTarGz(dst, []Entry{{Src: bin, Name: "relcli_1.0.0/relcli", Mode: 0o755}}); err != nil {
		t.Fatalf("WriteTarGz: %v", err)
	}
	names, err := ListTarGz(dst)
	if err != nil {
		t.Fatalf("ListTarGz: %v", err)
	}
	if len(names) != 1 || names[0] != "relcli_1.0.0/relcli" {
		t.Fatalf("names = %v", names)
	}

	out := t.TempDir()
	if err := ExtractTarGz(dst, out); err != nil {
		t.Fatalf("ExtractTarGz: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "relcli_1.0.0", "relcli")); err != nil {
		t.Fatal(err)
	}
}

func TestExtractZipRejectsTraversal(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("../../etc/evil")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "evil.zip")
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	err = ExtractZip(src, t.TempDir())
	if !errors.Is(err, ErrUnsafePath) {
		t.Fatalf("ExtractZip = %v, want ErrUnsafePath", err)
	}
}

func TestSafeJoin(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"a/b", true},
		{"./a", true},
		{"../a", false},
		{"a/../../b", false},
	} {
		_, err := safeJoin("/tmp/x", tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("safeJoin(%q) err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
