package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sample() *Summary {
	s := NewSummary("test", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	s.Add(Row{Name: "b", Status: "ok", Duration: time.Second, Bytes: 10})
	s.Add(Row{Name: "a", Status: "failed", Err: "exit 1"})
	return s
}

func TestCSVRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv")
	if err := WriteCSV(path, sample()); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Name != "a" {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestWriteTextAndJSON(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		write func(string, *Summary) error
	}{
		{"r.txt", WriteText},
		{"r.jsonl.gz", WriteJSONGz},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := tc.write(path, sample()); err != nil {
				t.Fatal(err)
			}
			info, err := os.Stat(path)
			if err != nil || info.Size() == 0 {
				t.Fatalf("stat: %v", err)
			}
		})
	}
}

func TestRenderTextCounts(t *testing.T) {
	var b strings.Builder
	if err := RenderText(&b, sample()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "2 rows, 1 failed, 10 bytes") {
		t.Fatalf("got %q", b.String())
	}
}

func TestMailSubject(t *testing.T) {
	if got := Mail(sample()); !strings.HasPrefix(got, "Subject: [FAILED] test") {
		t.Fatalf("got %q", got)
	}
}
