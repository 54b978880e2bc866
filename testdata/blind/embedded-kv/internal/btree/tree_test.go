package btree

import (
	"bytes"
	"fmt"
	"testing"

	"example.com/ekv/internal/page"
)

// memSource is an in-memory page store for tests.
type memSource struct {
	pages map[page.ID][]byte
	next  page.ID
	freed []page.ID
}

func newMemSource(pageSize int) *memSource {
	s := &memSource{pages: make(map[page.ID][]byte), next: page.InitPages}
	root := make([]byte, pageSize)
	page.Header{ID: page.InitRoot, Flags: page.FlagLeaf}.Encode(root)
	s.pages[page.InitRoot] = root
	return s
}

func (s *memSource) ReadPage(id page.ID) ([]byte, error) {
	buf, ok := s.pages[id]
	if !ok {
		return nil, fmt.Errorf("no page %d", id)
	}
	return buf, nil
}

func (s *memSource) Allocate() (page.ID, error) {
	id := s.next
	s.next++
	return id, nil
}

func (s *memSource) Free(id page.ID) { s.freed = append(s.freed, id) }

func (s *memSource) flush(t *Tree) error {
	return t.Flush(func(id page.ID, buf []byte) error {
		s.pages[id] = buf
		return nil
	})
}

func TestPutGetAcrossSplits(t *testing.T) {
	src := newMemSource(1024)
	tr := New(src, page.InitRoot, 1024)
	const n = 2000
	for i := 0; i < n; i++ {
		k := []byte(fmt.Sprintf("key-%05d", i))
		if err := tr.Put(k, bytes.Repeat([]byte{'v'}, i%50)); err != nil {
			t.Fatalf("Put(%s): %v", k, err)
		}
	}
	if err := src.flush(tr); err != nil {
		t.Fatal(err)
	}
	tr = New(src, tr.Root(), 1024)
	for i := 0; i < n; i += 37 {
		k := []byte(fmt.Sprintf("key-%05d", i))
		v, ok, err := tr.Get(k)
		if err != nil || !ok || len(v) != i%50 {
			t.Fatalf("Get(%s) = %d bytes, %v, %v", k, len(v), ok, err)
		}
	}
}

func TestCursorOrder(t *testing.T) {
	src := newMemSource(1024)
	tr := New(src, page.InitRoot, 1024)
	for _, i := range []int{5, 1, 9, 3, 7, 2, 8, 4, 6, 0} {
		for j := 0; j < 40; j++ {
			k := []byte(fmt.Sprintf("%d-%03d", i, j))
			if err := tr.Put(k, k); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := tr.Cursor()
	var prev []byte
	count := 0
	for k, _, err := c.First(); k != nil || err != nil; k, _, err = c.Next() {
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil && bytes.Compare(prev, k) >= 0 {
			t.Fatalf("out of order: %q then %q", prev, k)
		}
		prev = append(prev[:0], k...)
		count++
	}
	if count != 400 {
		t.Fatalf("visited %d keys, want 400", count)
	}
}

func TestDeleteAndSeek(t *testing.T) {
	src := newMemSource(1024)
	tr := New(src, page.InitRoot, 1024)
	for i := 0; i < 100; i++ {
		if err := tr.Put([]byte(fmt.Sprintf("k%03d", i)), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 100; i += 2 {
		ok, err := tr.Delete([]byte(fmt.Sprintf("k%03d", i)))
		if err != nil || !ok {
			t.Fatalf("Delete: %v %v", ok, err)
		}
	}
	k, _, err := tr.Cursor().Seek([]byte("k050"))
	if err != nil {
		t.Fatal(err)
	}
	if string(k) != "k051" {
		t.Fatalf("Seek landed on %q, want k051", k)
	}
}

func TestRejectsOversizedValues(t *testing.T) {
	tr := New(newMemSource(1024), page.InitRoot, 1024)
	err := tr.Put([]byte("k"), make([]byte, MaxValueSize(1024)+1))
	if err == nil {
		t.Fatal("expected ErrValueTooLarge")
	}
}
