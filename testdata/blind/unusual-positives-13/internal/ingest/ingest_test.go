package ingest

import (
	"context"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
)

func TestMain(m *testing.M) {
	log.SetOutput(io.Discard)
	os.Exit(m.Run())
}

func writeManifest(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadEach(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		body string
		want int
	}{
		{"one", "a1\t/in/a1.mov\t10\traw\n", 1},
		{"comments", "# header\n\na1\t/in/a1.mov\t10\t\na2\t/in/a2.mov\t20\traw,final\n", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeManifest(t, dir, tc.name+".tsv", tc.body)
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			recs, err := LoadEach([]Source{FileSource{Path: p}, InlineSource{Label: "x", Data: []byte(tc.body)}})
			if err != nil {
				t.Fatalf("LoadEach: %v", err)
			}
			if len(recs) != 2*tc.want {
				t.Fatalf("got %d records, want %d", len(recs), 2*tc.want)
			}
		})
	}
}

func TestMergeAll(t *testing.T) {
	out := make(chan Record)
	done := make(chan []Record)
	go func() {
		var got []Record
		for r := range out {
			got = append(got, r)
		}
		done <- got
	}()
	producers := []Producer{
		FromRecords([]Record{{ID: "a"}, {ID: "b"}}),
		FromRecords([]Record{{ID: "c"}}),
	}
	if err := MergeAll(context.Background(), producers, out); err != nil {
		t.Fatal(err)
	}
	if got := <-done; len(got) != 3 {
		t.Fatalf("merged %d records, want 3", len(got))
	}
}
