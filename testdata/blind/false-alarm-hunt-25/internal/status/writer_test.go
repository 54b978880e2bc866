package status

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"path/filepath"
	"testing"

	"example.com/fah25/api"
)

func sample() []Record {
	return []Record{
		{Namespace: "a", Name: "one", Generation: 2, Status: api.WidgetStatus{Phase: "Running", ReadyReplicas: 3}},
		{Namespace: "b", Name: "two", Generation: 1, Status: api.WidgetStatus{Phase: "Pending"}},
	}
}

func TestWriteThenRead(t *testing.T) {
	w, err := NewWriter(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range sample() {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	got, err := w.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "one" || got[1].Status.Phase != "Pending" {
		t.Fatalf("ReadAll = %+v", got)
	}
}

func TestEncodeArchiveIsValidGzip(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeArchive(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var first Record
	if err := json.NewDecoder(zr).Decode(&first); err != nil {
		t.Fatal(err)
	}
	if first.Name != "one" {
		t.Fatalf("first record = %+v", first)
	}
}

func TestExportJSONLThenPrune(t *testing.T) {
	dir := t.TempDir()
	if err := ExportJSONL(filepath.Join(dir, "export.jsonl"), sample()); err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range sample() {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	n, err := w.Prune(map[string]bool{"a/one": true}, false)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("pruned %d files, want 1", n)
	}
}
