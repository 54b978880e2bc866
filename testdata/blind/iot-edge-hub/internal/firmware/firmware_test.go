package firmware

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestCheckDigest(t *testing.T) {
	img := []byte("firmware image")
	if err := checkDigest(sha256.New().Sum(nil), digest(img)); !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
	s := sha256.Sum256(img)
	if err := checkDigest(s[:], digest(img)); err != nil {
		t.Fatal(err)
	}
}

func TestManifestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	m := Manifest{Device: "thermo", Version: "1.2.3", SHA256: digest([]byte("x")), Size: 1}
	if err := WriteManifest(path, m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != m {
		t.Fatalf("got %+v, want %+v", got, m)
	}
}

func TestFetchManifest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"device":"thermo","version":"2.0.0","sha256":"00"}`))
	}))
	defer srv.Close()
	dl := NewDownloader(t.TempDir())
	m, err := dl.FetchManifest(context.Background(), srv.URL, "thermo", "2.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "2.0.0" {
		t.Fatalf("version = %q", m.Version)
	}
}

func TestPromoteRollsBack(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "good.bin"), []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "empty.bin"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSlots(dir)
	if err := s.Promote("good.bin"); err != nil {
		t.Fatal(err)
	}
	if err := s.Promote("empty.bin"); err == nil {
		t.Fatal("empty image promoted")
	}
	if name, _ := s.Active(); name != "good.bin" {
		t.Fatalf("active = %q after rollback", name)
	}
}
