package firmware

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "active")
	if err := WriteFileAtomic(path, []byte("b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "b\n" {
		t.Fatalf("got %q", got)
	}
}

func TestActiveDefaultsToA(t *testing.T) {
	s := NewSlots(t.TempDir())
	a, err := s.Active()
	if err != nil || a != "a" {
		t.Fatalf("Active = %q, %v", a, err)
	}
	in, err := s.Inactive()
	if err != nil || in != "b" {
		t.Fatalf("Inactive = %q, %v", in, err)
	}
}

func TestVerifyChecksum(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fw.img")
	if err := os.WriteFile(path, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	const sum = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	if err := VerifyChecksum(path, strings.ToUpper(sum)); err != nil {
		t.Fatal(err)
	}
	if err := VerifyChecksum(path, strings.Repeat("0", 64)); err == nil {
		t.Fatal("mismatch not reported")
	}
}

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.10.2", "1.9", 1},
		{"1.2", "1.2.0", 0},
		{"", "0.1", -1},
		{"2.0", "10.0", -1},
	}
	for _, c := range cases {
		if got := CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestParseSums(t *testing.T) {
	data := "# release 1.4\n" + strings.Repeat("a", 64) + "  fw-1.4.img\n"
	sums, err := ParseSums(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 || sums["fw-1.4.img"] == "" {
		t.Fatalf("sums = %v", sums)
	}
}
