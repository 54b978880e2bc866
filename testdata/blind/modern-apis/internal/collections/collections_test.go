package collections

import (
	"maps"
	"slices"
	"testing"
)

func TestSetOps(t *testing.T) {
	a := SetOf(1, 2, 3)
	b := SetOf(2, 3, 4)
	if got := Sorted(a.Union(b)); !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Fatalf("Union = %v", got)
	}
	if got := Sorted(a.Intersect(b)); !slices.Equal(got, []int{2, 3}) {
		t.Fatalf("Intersect = %v", got)
	}
}

func TestZipAndEqual(t *testing.T) {
	xs := slices.Values([]int{1, 2, 3})
	ys := slices.Values([]string{"a", "b"})
	var got []Pair[int, string]
	for p := range Zip(xs, ys) {
		got = append(got, p)
	}
	if len(got) != 2 || got[1].Second != "b" {
		t.Fatalf("Zip = %v", got)
	}
	if !Equal(slices.Values([]int{1, 2}), slices.Values([]int{1, 2})) {
		t.Fatal("Equal should be true")
	}
}

func TestMergeSorted(t *testing.T) {
	got := slices.Collect(MergeSorted(
		slices.Values([]int{1, 4, 7}),
		slices.Values([]int{2, 5}),
		slices.Values([]int{3, 6, 8, 9}),
	))
	if !slices.IsSorted(got) || len(got) != 9 {
		t.Fatalf("MergeSorted = %v", got)
	}
}

func TestPeek(t *testing.T) {
	first, ok, rest, stop := Peek(slices.Values([]string{"x", "y", "z"}))
	defer stop()
	if !ok || first != "x" {
		t.Fatalf("first = %q, %v", first, ok)
	}
	if got := slices.Collect(rest); !slices.Equal(got, []string{"y", "z"}) {
		t.Fatalf("rest = %v", got)
	}
}

func TestOrderedMap(t *testing.T) {
	m := NewOrderedMap[string, int]()
	for i, k := range []string{"c", "a", "b"} {
		m.Set(k, i)
	}
	keys := slices.Collect(maps.Keys(maps.Collect(m.All())))
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"a", "b", "c"}) {
		t.Fatalf("keys = %v", keys)
	}
	if n := m.DeleteFunc(func(k string, _ int) bool { return k == "b" }); n != 1 {
		t.Fatalf("DeleteFunc = %d", n)
	}
	if k, ok := m.First(); !ok || k != "a" {
		t.Fatalf("First = %q", k)
	}
}

func TestChunkedAndWindows(t *testing.T) {
	var sizes []int
	for c := range Chunked(slices.Values([]int{1, 2, 3, 4, 5}), 2) {
		sizes = append(sizes, len(c))
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) {
		t.Fatalf("sizes = %v", sizes)
	}
	n := 0
	for range Windows(slices.Values([]int{1, 2, 3, 4}), 3) {
		n++
	}
	if n != 2 {
		t.Fatalf("windows = %d", n)
	}
}

func BenchmarkMergeSorted(b *testing.B) {
	a := make([]int, 512)
	c := make([]int, 512)
	for i := range 512 {
		a[i], c[i] = 2*i, 2*i+1
	}
	for b.Loop() {
		for range MergeSorted(slices.Values(a), slices.Values(c)) {
		}
	}
}
