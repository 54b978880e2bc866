package output

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var sample = []Record{
	{Key: "a", N: 3, Mean: 1.5, Std: 0.5, Min: 1, Max: 2},
	{Key: "b", N: 1, Mean: -2, Std: 0, Min: -2, Max: -2},
}

func TestCSVGzRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv.gz")
	if err := WriteCSVGz(path, sample); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sample) {
		t.Errorf("got %+v", got)
	}
}

func TestGobGzRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.gob.gz")
	if err := WriteGobGzChecked(path, sample); err != nil {
		t.Fatal(err)
	}
	var got []Record
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := ReadGobGz(path, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sample) {
		t.Fatalf("got %d records", len(got))
	}
}

func TestForFormatUnknown(t *testing.T) {
	if _, err := ForFormat("parquet"); err == nil {
		t.Fatal("unknown format accepted")
	}
}

func TestMergeShardFiles(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, r := range sample {
		p := filepath.Join(dir, "shard"+string(rune('0'+i))+".csv")
		if err := WriteCSVFile(p, []Record{r}); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	got, err := MergeShardFiles(paths)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sample) {
		t.Errorf("got %+v", got)
	}
}
