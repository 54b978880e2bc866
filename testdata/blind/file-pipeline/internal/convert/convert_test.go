package convert

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNormalizeHeader(t *testing.T) {
	got := NormalizeHeader([]string{" Order ID", "Total (EUR)", "ship-date"})
	want := []string{"order_id", "total__eur_", "ship_date"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestCSVToJSONL(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(src, []byte("Id,Name\n1,apple\n2,pear\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "orders.jsonl")
	n, err := CSVToJSONL(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("n = %d, want 2", n)
	}
	var names []string
	for rec, err := range ReadJSONLFile[Record](dst) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, rec["name"])
	}
	if want := []string{"apple", "pear"}; !slices.Equal(names, want) {
		t.Fatalf("names = %v, want %v", names, want)
	}
}

func TestRecordsShortRow(t *testing.T) {
	rows := func(yield func([]string, error) bool) {
		for _, r := range [][]string{{"a", "b"}, {"1"}, {"2", "3"}} {
			if !yield(r, nil) {
				return
			}
		}
	}
	var errs, recs int
	for _, err := range Records(rows) {
		if errors.Is(err, ErrShortRow) {
			errs++
			continue
		}
		recs++
	}
	if errs != 1 || recs != 1 {
		t.Fatalf("errs=%d recs=%d", errs, recs)
	}
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	err := WriteTable(&buf, []string{"k", "v"}, slices.Values([][]string{{"a", "1"}, {"b", "x,y"}}))
	if err != nil {
		t.Fatal(err)
	}
	want := "k,v\na,1\nb,\"x,y\"\n"
	if buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
}

func TestSplitJSONL(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "all.jsonl")
	if err := os.WriteFile(src, []byte(strings.Repeat("{}\n", 5)), 0o644); err != nil {
		t.Fatal(err)
	}
	parts, err := SplitJSONL(src, dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 3 {
		t.Fatalf("parts = %v", parts)
	}
	for _, p := range parts {
		n, err := CountLines(p)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || n > 2 {
			t.Errorf("%s has %d lines", p, n)
		}
	}
}
