package artifact

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPackUnpackRoundTrip(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeTree(t, src, map[string]string{"bin/app": "binary", "report.xml": "<ok/>"})
	files, err := Collect(src, []string{"bin/*", "*.xml"})
	if err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "a.tar.gz")
	if err := PackFile(archive, src, files); err != nil {
		t.Fatalf("PackFile: %v", err)
	}
	if err := UnpackFile(archive, dst); err != nil {
		t.Fatalf("UnpackFile: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(dst, "bin", "app"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte("binary")) {
		t.Fatalf("bin/app = %q", got)
	}
}

func TestCollectDeduplicates(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"a.txt": "a", "b.txt": "b"})
	got, err := Collect(root, []string{"*.txt", "a.*"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.txt", "b.txt"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Collect = %v, want %v", got, want)
	}
}

func TestSafeJoinRejectsTraversal(t *testing.T) {
	for _, name := range []string{"../etc/passwd", "/abs", ".."} {
		if _, err := safeJoin("/tmp/x", name); err == nil {
			t.Errorf("safeJoin(%q) succeeded", name)
		}
	}
	if p, err := safeJoin("/tmp/x", "a/../b"); err != nil || p != filepath.Join("/tmp/x", "b") {
		t.Errorf("safeJoin(a/../b) = %q, %v", p, err)
	}
}
