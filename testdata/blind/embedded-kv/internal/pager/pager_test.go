package pager

import (
	"bytes"
	"path/filepath"
	"testing"

	"example.com/ekv/internal/page"
)

func newFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data.ekv")
	if err := InitFile(path, 1024); err != nil {
		t.Fatalf("InitFile: %v", err)
	}
	return path
}

func TestProbe(t *testing.T) {
	path := newFile(t)
	size, err := Probe(path)
	if err != nil {
		t.Fatal(err)
	}
	if size != 1024 {
		t.Fatalf("page size = %d, want 1024", size)
	}
}

func TestWriteRead(t *testing.T) {
	p, err := Open(newFile(t), 1024, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })

	if err := p.Grow(8); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	page.Header{ID: 6, Flags: page.FlagLeaf}.Encode(buf)
	copy(buf[page.HeaderSize:], "payload")
	if err := p.Write(6, buf); err != nil {
		t.Fatal(err)
	}
	got, err := p.Read(6)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[page.HeaderSize:page.HeaderSize+7], []byte("payload")) {
		t.Fatalf("read back %q", got[page.HeaderSize:page.HeaderSize+7])
	}
}

func TestReadOnlyRejectsWrites(t *testing.T) {
	p, err := Open(newFile(t), 1024, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Write(3, make([]byte, 1024)); err != ErrReadOnly {
		t.Fatalf("err = %v, want ErrReadOnly", err)
	}
}
