package archive

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestBackupRoundTrip(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{
		"HEAD":             "ref: refs/heads/main\n",
		"config":           "[core]\n\tbare = true\n",
		"refs/heads/main":  "0123456789abcdef0123456789abcdef01234567\n",
		"objects/info/.ok": "",
	}
	for name, body := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := BackupRepo(src, "tools.git", &buf); err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if err := ExtractBackup(&buf, dst); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dst, "tools.git", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

func TestSafeJoinRejectsEscapes(t *testing.T) {
	for _, name := range []string{"../etc/passwd", "/abs", "a/../../b"} {
		if _, err := safeJoin("/srv/x", name); err == nil {
			t.Errorf("safeJoin accepted %q", name)
		}
	}
	if _, err := safeJoin("/srv/x", "tools.git/HEAD"); err != nil {
		t.Fatal(err)
	}
}
