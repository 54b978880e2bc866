package store

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/testsuites/internal/testutil"
	"example.com/testsuites/order"
)

func TestExportCSV(t *testing.T) {
	tests := []struct {
		name   string
		orders []order.Order
		lines  int
	}{
		{"empty", nil, 1},
		{"one", testutil.SampleOrders(1), 2},
		{"many", testutil.SampleOrders(10), 11},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ExportCSV(&buf, tc.orders); err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(buf.String(), "\n"); got != tc.lines {
				t.Fatalf("%d lines, want %d:\n%s", got, tc.lines, buf.String())
			}
			if !strings.HasPrefix(buf.String(), "id,customer,status,") {
				t.Fatalf("missing header: %q", buf.String())
			}
		})
	}
}

func TestExportGzipRoundTrip(t *testing.T) {
	want := testutil.SampleOrders(5)
	var buf bytes.Buffer
	if err := ExportGzip(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := ImportGzip(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("imported %d orders, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID || got[i].Total() != want[i].Total() {
			t.Errorf("order %d: got %+v", i, got[i])
		}
	}
}

func TestExportJSONFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.jsonl")
	if err := ExportJSONFile(path, testutil.SampleOrders(3)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("\n")); n != 3 {
		t.Fatalf("%d lines, want 3", n)
	}
}

func TestExportJSONFileBadPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "orders.jsonl")
	if err := ExportJSONFile(path, testutil.SampleOrders(1)); err == nil {
		t.Fatal("export into a missing directory succeeded")
	}
}

func TestImportGzipRejectsPlainInput(t *testing.T) {
	if _, err := ImportGzip(strings.NewReader(`{"id":"ord-1"}`)); err == nil {
		t.Fatal("ImportGzip accepted uncompressed input")
	}
}

func TestImportGzipReportsBadRecord(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("{\"id\":\"ord-1\"}\n{oops}\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ImportGzip(&buf)
	if err == nil || !strings.Contains(err.Error(), "record 2") {
		t.Fatalf("err = %v, want a record 2 error", err)
	}
	if len(got) != 1 {
		t.Fatalf("decoded %d records before the error", len(got))
	}
}

func ExampleExportCSV() {
	o := order.Order{
		ID:       "ord-1",
		Customer: "ada",
		Status:   order.StatusPaid,
		Items:    []order.Item{{SKU: "book", Qty: 2, PriceCents: 1250}},
		Created:  time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	if err := ExportCSV(os.Stdout, []order.Order{o}); err != nil {
		panic(err)
	}
	// Output:
	// id,customer,status,items,total_cents,created
	// ord-1,ada,paid,1,2500,2024-01-02T03:04:05Z
}
