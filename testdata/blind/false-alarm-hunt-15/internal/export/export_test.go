package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/fah15/internal/store"
)

var sample = []store.Order{
	{ID: 1, Customer: "ada", TotalCents: 1200, Status: "paid"},
	{ID: 2, Customer: "bob", TotalCents: 300, Status: "pending"},
}

func TestWriteCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.csv")
	if err := WriteCSV(path, sample); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "\n"); got != 3 {
		t.Fatalf("lines = %d, want 3", got)
	}
}

func TestGzipRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.jsonl.gz")
	if err := WriteGzipJSON(path, sample); err != nil {
		t.Fatal(err)
	}
	n, err := CountLines(path)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(sample) {
		t.Fatalf("lines = %d, want %d", n, len(sample))
	}
}
