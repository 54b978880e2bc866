package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// writeArchive packs files into dir/name and returns the path and digest.
func writeArchive(t *testing.T, dir, name string, files map[string][]byte) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := PackFiles(&buf, files); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return path, hex.EncodeToString(sum[:])
}

func TestSafeJoinRejectsTraversal(t *testing.T) {
	dest := t.TempDir()
	for _, name := range []string{"../evil", "a/../../evil", "/etc/passwd", `a\b`, ""} {
		if _, err := safeJoin(dest, name); !errors.Is(err, ErrUnsafePath) {
			t.Errorf("safeJoin(%q) = %v, want ErrUnsafePath", name, err)
		}
	}
	if got, err := safeJoin(dest, "lib/handler.py"); err != nil || got != filepath.Join(dest, "lib", "handler.py") {
		t.Errorf("safeJoin(lib/handler.py) = %q, %v", got, err)
	}
}

func TestUnpackAndManifest(t *testing.T) {
	dir := t.TempDir()
	archive, digest := writeArchive(t, dir, "b.zip", map[string][]byte{
		ManifestName:   []byte(`{"function":"hello","runtime":"python3","command":["python3","main.py"]}`),
		"main.py":      []byte("print('hi')\n"),
		"lib/util.py":  []byte("X = 1\n"),
		"data/big.txt": bytes.Repeat([]byte("x"), 1<<16),
	})
	if err := verifyDigest(archive, digest); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "out")
	if err := os.Mkdir(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := unpack(archive, dest); err != nil {
		t.Fatal(err)
	}
	m, err := LoadManifest(dest)
	if err != nil {
		t.Fatal(err)
	}
	if m.Function != "hello" || len(m.Command) != 2 {
		t.Errorf("manifest = %+v", m)
	}
	got, err := Inspect(archive)
	if err != nil {
		t.Fatal(err)
	}
	if got.Runtime != "python3" {
		t.Errorf("Inspect runtime = %q", got.Runtime)
	}
}

func TestWriteManifestReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	m := Manifest{Function: "f", Runtime: "node", Command: []string{"node", "index.js"}}
	if err := WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	m.TimeoutS = 30
	if err := WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	got, err := LoadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.TimeoutS != 30 {
		t.Errorf("TimeoutS = %d, want 30", got.TimeoutS)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("left %d files behind, want only %s", len(entries), ManifestName)
	}
}

func TestDiff(t *testing.T) {
	dir := t.TempDir()
	a, _ := writeArchive(t, dir, "a.zip", map[string][]byte{"x": []byte("1"), "y": []byte("2")})
	b, _ := writeArchive(t, dir, "b.zip", map[string][]byte{"x": []byte("1"), "y": []byte("3"), "z": nil})
	changed, err := Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 2 {
		t.Errorf("changed = %v, want y and z", changed)
	}
}
