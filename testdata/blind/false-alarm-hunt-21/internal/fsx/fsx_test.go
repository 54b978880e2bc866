package fsx

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileAtomicReplaces(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.go")
	for _, body := range []string{"package a\n", "package b\n"} {
		if err := WriteFileAtomic(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "package b\n" {
		t.Fatalf("got %q", got)
	}
}

func TestWriteWithLeavesNoTempOnError(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("boom")
	err := WriteWith(filepath.Join(dir, "x.txt"), func(w *bufio.Writer) error {
		w.WriteString("partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestHashTreeMatchesHashFiles(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, name := range []string{"a", "b", "c"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	tree, err := HashTree(context.Background(), dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	files, err := HashFiles(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree) != len(files) {
		t.Fatalf("%d vs %d sums", len(tree), len(files))
	}
	for i := range tree {
		if tree[i].Hex != files[i].Hex {
			t.Errorf("%s: %s vs %s", tree[i].Path, tree[i].Hex, files[i].Hex)
		}
	}
}

func TestCopyFileKeepsMode(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.sh")
	if err := os.WriteFile(src, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "dst.sh")
	if err := CopyFile(dst, src); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o755 {
		t.Fatalf("mode %v", info.Mode())
	}
}
