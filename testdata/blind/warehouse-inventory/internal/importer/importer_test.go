package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/inventory/internal/stock"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadRowsRejects(t *testing.T) {
	in := "warehouse,sku,qty,reorder\nAMS1,SKU-1,5,2\nAMS1,,3\nRTM2,SKU-2,x\n"
	rows, rejects, err := ReadRows(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Reorder != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	if len(rejects) != 2 || rejects[0].Line != 3 {
		t.Fatalf("rejects = %+v", rejects)
	}
}

func TestImportFilesAndReconcile(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", "warehouse,sku,qty\nAMS1,SKU-1,5\n")
	b := writeFile(t, dir, "b.csv", "warehouse,sku,qty\nAMS1,SKU-1,2\nRTM2,SKU-9,1\n")
	store := stock.NewStore()
	imp := New(store, nil)
	n, err := imp.ImportFiles([]string{a, b})
	if err != nil || n != 3 {
		t.Fatalf("ImportFiles = %d, %v", n, err)
	}
	count := writeFile(t, dir, "count.csv", "warehouse,sku,qty\nAMS1,SKU-1,6\n")
	adjusted, err := imp.Reconcile(count)
	if err != nil || adjusted != 1 {
		t.Fatalf("Reconcile = %d, %v", adjusted, err)
	}
	if got := store.Availability("SKU-1")["AMS1"]; got != 6 {
		t.Fatalf("on hand after count = %d, want 6", got)
	}
}
