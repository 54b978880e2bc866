package fileutil

import (
	"bytes"
	"io/ioutil"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadConfigFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.conf")
	if err := WriteFileAtomic(path, []byte("# c\nname = kv\nport=7070\n"), 0644); err != nil {
		t.Fatal(err)
	}
	cfg, err := ReadConfigFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg["name"] != "kv" || cfg["port"] != "7070" {
		t.Fatalf("cfg = %v", cfg)
	}
}

func TestAppendLinesAndConcat(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	b := filepath.Join(dir, "b")
	if err := AppendLines(a, []string{"1", "2"}); err != nil {
		t.Fatal(err)
	}
	if err := ioutil.WriteFile(b, []byte("3\n"), 0644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Concat(&buf, a, b); err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(buf.String()); len(got) != 3 {
		t.Fatalf("got %v", got)
	}
}

func TestHashFilesStable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x")
	if err := ioutil.WriteFile(p, []byte("abc"), 0644); err != nil {
		t.Fatal(err)
	}
	m1, err := HashFiles([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := HashFiles([]string{p})
	if m1[p] != m2[p] || len(m1[p]) != 64 {
		t.Fatalf("hashes differ: %v %v", m1, m2)
	}
}
