package export

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.csv.gz")
	want := [][]string{{"id", "email"}, {"1", "ada@example.com"}}
	if err := WriteSnapshotOrdered(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestAppendAuditChecked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	for _, line := range []string{"one", "two"} {
		if err := AppendAuditChecked(path, line); err != nil {
			t.Fatal(err)
		}
	}
	n, err := CountLines(path)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("lines = %d, want 2", n)
	}
}

func TestChecksumStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x")
	if err := os.WriteFile(path, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Checksum(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Checksum(path)
	if a != b || len(a) != 64 {
		t.Fatalf("checksums %q %q", a, b)
	}
}
