package picklist

import (
	"compress/gzip"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"example.com/inventory/internal/stock"
)

func sampleLines() []Line {
	orders := []Order{
		{ID: "O-2", Warehouse: "AMS1", Items: []Item{{SKU: "SKU-B", Qty: 1}, {SKU: "SKU-A", Qty: 2}}},
		{ID: "O-1", Warehouse: "AMS1", Items: []Item{{SKU: "SKU-A", Qty: 5}, {SKU: "SKU-C", Qty: 0}}},
	}
	bins := func(_ string, sku stock.SKU) string { return "B-" + string(sku) }
	return Build(orders, bins)
}

func TestBuildSortsByBin(t *testing.T) {
	lines := sampleLines()
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3", len(lines))
	}
	if lines[0].Order != "O-1" || lines[0].SKU != "SKU-A" || lines[2].SKU != "SKU-B" {
		t.Fatalf("unexpected walk order: %+v", lines)
	}
}

func TestExportCompressedRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "picklist.csv.gz")
	if err := ExportCompressed(path, sampleLines()); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	recs, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("got %d records, want header + 3", len(recs))
	}
}
