package session

import (
	"path/filepath"
	"testing"
	"time"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sessions.json")

	src := NewStore(time.Hour)
	sess, err := src.Create("u-1")
	if err != nil {
		t.Fatal(err)
	}
	src.SetValue(sess.ID, "theme", "dark")
	if err := src.Save(path); err != nil {
		t.Fatal(err)
	}

	dst := NewStore(time.Hour)
	if err := dst.Load(path); err != nil {
		t.Fatal(err)
	}
	if v, ok := dst.Value(sess.ID, "theme"); !ok || v != "dark" {
		t.Fatalf("theme = %q, %v", v, ok)
	}
}

func TestLoadMissingFile(t *testing.T) {
	s := NewStore(time.Hour)
	if err := s.Load(filepath.Join(t.TempDir(), "absent.json")); err != nil {
		t.Fatalf("Load of a missing file = %v, want nil", err)
	}
}
