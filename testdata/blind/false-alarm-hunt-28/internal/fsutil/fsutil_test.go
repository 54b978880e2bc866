package fsutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	for _, content := range []string{"first", "second"} {
		if err := WriteFileAtomic(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != content {
			t.Fatalf("got %q, want %q", got, content)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestHashTreeStable(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
	}{
		{"single", map[string]string{"a.go": "package a"}},
		{"nested", map[string]string{"a/b.go": "package a", "c.txt": "c"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for name, body := range tc.files {
				p := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			a, err := HashTree(root)
			if err != nil {
				t.Fatal(err)
			}
			b, err := HashTree(root)
			if err != nil {
				t.Fatal(err)
			}
			if a != b {
				t.Fatalf("hash not stable: %s vs %s", a, b)
			}
		})
	}
}

func TestReadLinesMissing(t *testing.T) {
	lines, err := ReadLines(filepath.Join(t.TempDir(), "nope"))
	if err != nil || lines != nil {
		t.Fatalf("ReadLines(missing) = %v, %v", lines, err)
	}
}
