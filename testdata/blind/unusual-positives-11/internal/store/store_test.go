package store

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is a shard log shared by the tests of this package.
var fixture string

func TestMain(m *testing.M) {
	f, err := os.CreateTemp("", "up11-fixture-*.log")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := range 100 {
		fmt.Fprintf(f, "k%d\tv%d\n", i%10, i)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Remove(f.Name())
		os.Exit(1)
	}
	fixture = f.Name()
	defer os.Remove(fixture)
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func TestChecksumStable(t *testing.T) {
	a, err := Checksum(fixture)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Checksum(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatalf("checksum changed: %s vs %s", a, b)
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.json")
	if err := WriteJSON(path, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"a": 1`) {
		t.Fatalf("got %s", data)
	}
}

func TestBundleCheckedLists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.zip")
	entries := []Entry{{Name: "a.txt", Data: []byte("a")}, {Name: "b.txt", Data: []byte("b")}}
	if err := BundleChecked(path, entries); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for name := range Members(&zr.Reader) {
		names = append(names, name)
	}
	if len(names) != 2 {
		t.Fatalf("names = %v", names)
	}
}

func TestArchiveTarAndUnarchive(t *testing.T) {
	dir := t.TempDir()
	tgz := filepath.Join(dir, "x.tgz")
	if err := ArchiveTar(tgz, []Entry{{Name: "x", Data: []byte("hello")}}); err != nil {
		t.Fatal(err)
	}
	ok, err := IsGzip(tgz)
	if err != nil || !ok {
		t.Fatalf("IsGzip = %v, %v", ok, err)
	}
	var buf bytes.Buffer
	if err := Unarchive(tgz, &buf); err != nil {
		t.Fatal(err)
	}
	if buf.Len() == 0 {
		t.Fatal("empty tarball")
	}
}

func TestLoadEach(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("%d.txt", i))
		if err := os.WriteFile(p, []byte(fmt.Sprint(i)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	got, err := LoadEach(paths, func(r io.Reader) (string, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "0,1,2" {
		t.Fatalf("got %v", got)
	}
}

func TestShardFlushAndCompact(t *testing.T) {
	sh := NewShard(t.TempDir(), "s")
	for _, rec := range []string{"a\t1", "b\t1", "a\t2"} {
		sh.Append([]byte(rec))
	}
	if err := FlushEach([]*Shard{sh}); err != nil {
		t.Fatal(err)
	}
	if err := sh.Flush(); err != nil {
		t.Fatal(err)
	}
}
