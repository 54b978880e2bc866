package blobstore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"testing"
)

var testRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "blobstore-test-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testRoot = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func openTemp(t *testing.T) *Store {
	t.Helper()
	dir, err := os.MkdirTemp(testRoot, strings.ReplaceAll(t.Name(), "/", "_")+"-*")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestPutReaderGet(t *testing.T) {
	s := openTemp(t)
	d, err := s.PutReader(strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if !ValidDigest(d) {
		t.Fatalf("bad digest %q", d)
	}
	got, err := s.Get(d)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "hello" {
		t.Fatalf("got %q", got)
	}
	again, err := s.PutReader(strings.NewReader("hello"))
	if err != nil || again != d {
		t.Fatalf("second put: %q, %v", again, err)
	}
}

func TestGetMissing(t *testing.T) {
	s := openTemp(t)
	_, err := s.Get(strings.Repeat("0", 64))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestCopyTo(t *testing.T) {
	src, dst := openTemp(t), openTemp(t)
	d, err := src.PutReader(bytes.NewReader([]byte("payload")))
	if err != nil {
		t.Fatal(err)
	}
	if err := src.CopyTo(dst, d); err != nil {
		t.Fatal(err)
	}
	if !dst.Has(d) {
		t.Fatal("blob missing from destination")
	}
	if u := src.Usage(); u.Pinned != 0 {
		t.Fatalf("pins left after CopyTo: %+v", u)
	}
}

func TestReopenUsesIndex(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.PutReader(strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, err := s2.Size(d); err != nil || n != 1 {
		t.Fatalf("size = %d, %v", n, err)
	}
}
