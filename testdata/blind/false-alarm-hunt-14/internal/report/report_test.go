package report

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"example.com/fah14/internal/golden"
	"example.com/fah14/internal/store"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if !golden.Updating() {
		os.Exit(m.Run())
	}
	lock, err := golden.Acquire("testdata")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer lock.Release()
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

var t0 = time.Date(2024, 3, 1, 8, 30, 0, 0, time.UTC)

func sampleEvents() []store.Event {
	return []store.Event{
		{ID: "1", Topic: "push", Payload: []byte("aaaa"), Received: t0},
		{ID: "2", Topic: "tag", Payload: []byte("bb"), Received: t0.Add(time.Hour)},
		{ID: "3", Topic: "push", Payload: []byte("cccccc"), Received: t0.Add(2 * time.Hour)},
		{ID: "4", Topic: "issue", Received: t0.Add(-time.Hour)},
	}
}

// withLocal makes name the local time zone and returns the func restoring
// the previous one.
func withLocal(t *testing.T, name string) func() {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Local
	time.Local = loc
	return func() { time.Local = old }
}

// renderText renders rows as text, in the given zone when zone is set.
func renderText(t *testing.T, rows []Row, zone string) string {
	t.Helper()
	var restore func()
	if zone != "" {
		restore = withLocal(t, zone)
	}
	defer restore() // HAZ defer-nil-func
	var buf bytes.Buffer
	if err := WriteText(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func renderCSV(t *testing.T, rows []Row) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		evs    []store.Event
		topics []string
		counts []int
	}{
		{"empty", nil, nil, nil},
		{"sample", sampleEvents(), []string{"issue", "push", "tag"}, []int{1, 2, 1}},
		{"one", sampleEvents()[:1], []string{"push"}, []int{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rows := Summarize(tc.evs)
			if len(rows) != len(tc.topics) {
				t.Fatalf("got %d rows, want %d", len(rows), len(tc.topics))
			}
			for i, r := range rows {
				if r.Topic != tc.topics[i] || r.Count != tc.counts[i] {
					t.Errorf("row %d = %+v, want %s x%d", i, r, tc.topics[i], tc.counts[i])
				}
			}
		})
	}
}

func TestSummarizeFirstLast(t *testing.T) {
	t.Parallel()
	rows := Summarize(sampleEvents())
	push := rows[1]
	if !push.First.Equal(t0) || !push.Last.Equal(t0.Add(2*time.Hour)) || push.Bytes != 10 {
		t.Errorf("push row = %+v", push)
	}
}

func TestWriteCSVGolden(t *testing.T) {
	golden.Assert(t, "summary.csv", renderCSV(t, Summarize(sampleEvents())))
}

func TestWriteTextGolden(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) func()
	}{
		{name: "utc"},
		{name: "berlin", setup: func(t *testing.T) func() { return withLocal(t, "Europe/Berlin") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				defer tc.setup(t)()
			} else {
				defer withLocal(t, "UTC")()
			}
			var buf bytes.Buffer
			if err := WriteText(&buf, Summarize(sampleEvents())); err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, "summary_"+tc.name+".txt", buf.Bytes())
		})
	}
}

func TestWriteTextHeaderOnly(t *testing.T) {
	got := renderText(t, nil, "")
	if strings.TrimSpace(got) != "TOPIC  COUNT  BYTES  FIRST  LAST" {
		t.Errorf("header = %q", got)
	}
}

func TestWriteTextUTC(t *testing.T) {
	got := renderText(t, Summarize(sampleEvents()[:1]), "UTC")
	if !strings.Contains(got, "2024-03-01 08:30") {
		t.Errorf("text = %q", got)
	}
}

func TestSaveGzipCSV(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "summary.csv.gz")
	if err := SaveGzipCSV(path, Summarize(sampleEvents())); err != nil {
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
	if len(recs) != 4 || recs[0][0] != "topic" {
		t.Errorf("records = %q", recs)
	}
}

func TestSaveCSVMatchesGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.csv")
	if err := SaveCSV(path, Summarize(sampleEvents())); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "summary.csv", got)
}

func TestBuildLogsDuration(t *testing.T) {
	t.Parallel()
	var logged []string
	rows := Build(sampleEvents(), func(format string, args ...any) {
		logged = append(logged, fmt.Sprintf(format, args...))
	})
	if len(rows) != 3 {
		t.Fatalf("Build returned %d rows", len(rows))
	}
	if len(logged) != 1 || !strings.HasPrefix(logged[0], "report: summarize took ") {
		t.Errorf("logged %q", logged)
	}
}

func ExampleWriteCSV() {
	evs := []store.Event{
		{Topic: "push", Payload: []byte("abc"), Received: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
	}
	if err := WriteCSV(os.Stdout, Summarize(evs)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// topic,count,bytes,first,last
	// push,1,3,2024-01-02T03:04:05Z,2024-01-02T03:04:05Z
}

func BenchmarkSummarize(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		evs := make([]store.Event, 0, 4096)
		for j := 0; j < 4096; j++ {
			evs = append(evs, store.Event{Topic: fmt.Sprintf("t%d", j%16), Received: t0.Add(time.Duration(j) * time.Second)})
		}
		b.StartTimer()
		if rows := Summarize(evs); len(rows) != 16 {
			b.Fatalf("%d rows", len(rows))
		}
	}
}

func TestSaveGzipCSVIsCompressed(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "summary.csv.gz")
	if err := SaveGzipCSV(path, Summarize(sampleEvents())); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		t.Fatalf("output is not gzip: %v", err)
	}
	n, err := io.Copy(io.Discard, zr)
	if err != nil {
		t.Fatal(err)
	}
	if int(n) <= len(data)/4 {
		t.Errorf("suspicious sizes: %d compressed, %d plain", len(data), n)
	}
}

func TestLoadCSVRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "summary.csv")
	want := Summarize(sampleEvents())
	if err := SaveCSV(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := LoadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("loaded %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Topic != want[i].Topic || !got[i].First.Equal(want[i].First) {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSaveAllWritesBoth(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := SaveAll(dir, Summarize(sampleEvents()), t.Logf); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"summary.csv", "summary.csv.gz"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}
