package block

import (
	"os"
	"path/filepath"
	"testing"

	"example.com/tsdb/model"
)

func testSeries() []model.Series {
	return []model.Series{
		{Labels: model.FromStrings(model.MetricName, "up", "job", "a"), Samples: []model.Sample{{T: 1, V: 1}, {T: 2, V: 0}, {T: 3, V: 1}}},
		{Labels: model.FromStrings(model.MetricName, "up", "job", "b"), Samples: []model.Sample{{T: 2, V: 1}}},
	}
}

func TestWriteOpenSelect(t *testing.T) {
	parent := t.TempDir()
	dir, err := Write(parent, Meta{MinTime: 0, MaxTime: 10}, testSeries())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Verify(); err != nil {
		t.Fatal(err)
	}
	ms, _ := model.ParseSelector(`up{job="a"}`)
	got, err := b.Select(2, 3, ms...)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Samples) != 2 {
		t.Fatalf("select = %+v", got)
	}
}

func TestVerifyDetectsCorruption(t *testing.T) {
	dir, err := Write(t.TempDir(), Meta{MaxTime: 10}, testSeries())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, ChunksFilename)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Verify(); err == nil {
		t.Fatal("expected checksum error")
	}
}
