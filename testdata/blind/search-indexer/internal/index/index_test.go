package index

import (
	"bufio"
	"bytes"
	"reflect"
	"testing"

	"example.com/searchindexer/internal/textproc"
)

func TestIntersect(t *testing.T) {
	a := PostingList{{1, 1}, {3, 2}, {5, 1}}
	b := PostingList{{3, 1}, {4, 1}, {5, 5}}
	got := Intersect(a, b).Docs()
	if !reflect.DeepEqual(got, []DocID{3, 5}) {
		t.Fatalf("Intersect = %v", got)
	}
}

func TestUnion(t *testing.T) {
	a := PostingList{{1, 1}, {3, 2}}
	b := PostingList{{2, 1}, {3, 1}}
	want := PostingList{{1, 1}, {2, 1}, {3, 3}}
	if got := Union(a, b); !reflect.DeepEqual(got, want) {
		t.Fatalf("Union = %v, want %v", got, want)
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	pl := PostingList{{2, 1}, {9, 4}, {1000, 2}}
	var buf bytes.Buffer
	if err := pl.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := DecodePostingList(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, pl) {
		t.Fatalf("round trip = %v, want %v", got, pl)
	}
}

func TestAddLookupAndMarkDeleted(t *testing.T) {
	m := NewMemIndex(textproc.NewAnalyzer(textproc.WithStemming(false)))
	m.AddAll([]Document{{ID: 1, Text: "immutable segments"}, {ID: 2, Text: "segments merge"}})
	if got := m.Lookup("segments").Docs(); !reflect.DeepEqual(got, []DocID{1, 2}) {
		t.Fatalf("Lookup = %v", got)
	}
	if !m.MarkDeleted(2) || m.MarkDeleted(2) {
		t.Fatal("MarkDeleted should succeed exactly once")
	}
	if got := m.Lookup("segments").Docs(); !reflect.DeepEqual(got, []DocID{1}) {
		t.Fatalf("Lookup after delete = %v", got)
	}
}

func TestFreezeResets(t *testing.T) {
	m := NewMemIndex(textproc.NewAnalyzer())
	m.Add(Document{ID: 7, Text: "warmup cache"})
	fz := m.Freeze()
	if fz.Live() != 1 || !m.Empty() {
		t.Fatalf("Freeze: live=%d empty=%v", fz.Live(), m.Empty())
	}
}
