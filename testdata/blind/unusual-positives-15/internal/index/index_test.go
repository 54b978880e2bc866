package index

import (
	"testing"
	"time"
)

func TestPutGet(t *testing.T) {
	ix := New("t")
	ix.Put(Doc{Key: "a", Size: 3})
	ix.Put(Doc{Key: "a", Size: 5})
	d, ok := ix.Get("a")
	if !ok || d.Size != 5 {
		t.Fatalf("Get = %+v %v", d, ok)
	}
	if _, ok := ix.Get("b"); ok {
		t.Fatal("unexpected b")
	}
	st := ix.Stats()
	if st.Docs != 1 || st.Bytes != 5 || st.Hits != 1 || st.Misses != 1 {
		t.Fatalf("Stats = %+v", st)
	}
}

func TestMergeEachStopsAtEmptyKey(t *testing.T) {
	ix := New("t")
	n := ix.MergeEach([][]Doc{
		{{Key: "a", Size: 1}, {Key: ""}, {Key: "skipped"}},
		{{Key: "b", Size: 2, Expires: time.Now().Add(time.Hour)}},
	})
	if n != 2 || ix.Len() != 2 {
		t.Fatalf("MergeEach = %d, Len = %d", n, ix.Len())
	}
}

func TestRename(t *testing.T) {
	ix := New("t")
	ix.Put(Doc{Key: "old"})
	if err := ix.Rename("missing", "x"); err != ErrNotFound {
		t.Fatalf("err = %v", err)
	}
	if err := ix.Rename("old", "new"); err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.Get("new"); !ok {
		t.Fatal("new missing")
	}
}

func TestCatalogAttach(t *testing.T) {
	ix := New("t")
	ix.Put(Doc{Key: "k1"})
	c := NewCatalog(ix)
	if err := c.Create("c"); err != nil {
		t.Fatal(err)
	}
	if err := c.Attach("c", "k1"); err != nil {
		t.Fatal(err)
	}
	if got := c.Collection("c"); len(got) != 1 {
		t.Fatalf("Collection = %v", got)
	}
	if got := c.Names(); len(got) != 1 || got[0] != "c" {
		t.Fatalf("Names = %v", got)
	}
}
