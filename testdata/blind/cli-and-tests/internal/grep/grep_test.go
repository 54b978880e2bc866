package grep

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const sampleLog = `2024-05-01T10:00:00Z INFO start
2024-05-01T10:00:01Z WARN disk 91%
2024-05-01T10:00:02Z ERROR write failed
2024-05-01T10:00:03Z INFO done
`

func writeFile(t testing.TB, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gzipped(t testing.TB, body string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.WriteString(zw, body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestSearchReader(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		opt     Options
		want    []int
	}{
		{"errors", `ERROR`, Options{}, []int{3}},
		{"warn or error", `WARN|ERROR`, Options{}, []int{2, 3}},
		{"invert", `INFO`, Options{Invert: true}, []int{2, 3}},
		{"max count", `INFO`, Options{MaxCount: 1}, []int{1}},
		{"none", `FATAL`, Options{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ms, err := SearchReader(strings.NewReader(sampleLog), "app.log", regexp.MustCompile(tt.pattern), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Line)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("lines = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("lines = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestSearchFileGzip(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "app.log.gz", gzipped(t, sampleLog))
	ms, err := SearchFile(p, regexp.MustCompile("ERROR"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Line != 3 {
		t.Errorf("matches = %v", ms)
	}
}

func TestSearchWithRotated(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "app.log", "new ERROR\n")
	writeFile(t, dir, "app.log.1", "old ERROR\n")
	ms, err := SearchWithRotated(p, regexp.MustCompile("ERROR"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || !strings.HasPrefix(ms[0].Text, "old") {
		t.Errorf("matches = %v", ms)
	}
}

func TestSearchGlobOrder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "app.log", "3 x\n")
	writeFile(t, dir, "app.log.1", "2 x\n")
	writeFile(t, dir, "app.log.2", "1 x\n")
	ms, err := SearchGlob(filepath.Join(dir, "app.log*"), regexp.MustCompile("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, m := range ms {
		order = append(order, m.Text[:1])
	}
	if got := strings.Join(order, ""); got != "123" {
		t.Errorf("order = %q, want 123", got)
	}
}

func TestSearchURL(t *testing.T) {
	gz := gzipped(t, sampleLog) // built here: t.Fatal must not run in a handler goroutine
	mux := http.NewServeMux()
	mux.HandleFunc("/app.log", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, sampleLog)
	})
	mux.HandleFunc("/app.log.gz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, gz)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	tests := []struct {
		path    string
		want    int
		wantErr bool
	}{
		{"/app.log", 1, false},
		{"/app.log.gz", 1, false},
		{"/missing", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ms, err := SearchURL(ctx, srv.Client(), srv.URL+tt.path, regexp.MustCompile("ERROR"), Options{})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if len(ms) != tt.want {
				t.Errorf("got %d matches", len(ms))
			}
		})
	}
}

func TestSearchURLSlowServer(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs before srv.Close: cleanups are LIFO

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := SearchURL(ctx, srv.Client(), srv.URL, regexp.MustCompile("x"), Options{}); err == nil {
		t.Fatal("want a timeout error")
	}
}

func manyFiles(t testing.TB, n int) []string {
	t.Helper()
	dir := t.TempDir()
	paths := make([]string, n)
	for i := range paths {
		body := "nothing here\n"
		if i%3 == 0 {
			body = "ERROR found\n"
		}
		paths[i] = writeFile(t, dir, "f"+strings.Repeat("x", i)+".log", body)
	}
	return paths
}

func TestSearchAll(t *testing.T) {
	paths := manyFiles(t, 10)
	res, err := SearchAll(context.Background(), paths, regexp.MustCompile("ERROR"), Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i, ms := range res {
		if want := i%3 == 0; (len(ms) == 1) != want {
			t.Errorf("file %d: %v", i, ms)
		}
	}
}

func TestSearchAllIsolatedReportsMissing(t *testing.T) {
	paths := append(manyFiles(t, 2), "/does/not/exist")
	_, err := SearchAllIsolated(paths, regexp.MustCompile("ERROR"), Options{})
	if err == nil {
		t.Fatal("want an error for the missing file")
	}
}

func TestFirstMatchWait(t *testing.T) {
	paths := manyFiles(t, 6)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	m, ok := FirstMatchWait(ctx, paths, regexp.MustCompile("ERROR"))
	if !ok || m.Text != "ERROR found" {
		t.Fatalf("FirstMatchWait = %v, %v", m, ok)
	}
}

func TestCountWithContext(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "a.log", sampleLog)
	n, err := CountWithContext(context.Background(), p, regexp.MustCompile("INFO"))
	if err != nil || n != 2 {
		t.Fatalf("CountWithContext = %d, %v", n, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CountWithContext(ctx, p, regexp.MustCompile("INFO")); err == nil {
		t.Log("count finished before the cancel was noticed")
	}
}

func TestStream(t *testing.T) {
	paths := manyFiles(t, 9)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for range Stream(ctx, paths, regexp.MustCompile("ERROR"), Options{}) {
		n++
	}
	if n != 3 {
		t.Errorf("streamed %d matches, want 3", n)
	}
}

func TestStreamStopsOnCancel(t *testing.T) {
	paths := manyFiles(t, 9)
	ctx, cancel := context.WithCancel(context.Background())
	ch := Stream(ctx, paths, regexp.MustCompile("ERROR"), Options{})
	<-ch
	cancel()
	for range ch { // drains until the sender sees ctx.Done and closes
	}
}

func TestCountFilesErr(t *testing.T) {
	paths := manyFiles(t, 12)
	counts, errs := CountFilesErr(append(paths, "/nope"), regexp.MustCompile("ERROR"))
	if len(errs) != 1 || len(counts) != 12 {
		t.Fatalf("counts=%d errs=%v", len(counts), errs)
	}
	sizes := SizesOf(paths, regexp.MustCompile("ERROR"))
	for i, n := range sizes {
		if want := map[bool]int{true: 1}[i%3 == 0]; n != want {
			t.Errorf("SizesOf[%d] = %d, want %d", i, n, want)
		}
	}
}

func TestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	ms := []Match{{File: "a", Line: 1, Text: "x"}, {File: "b", Line: 2, Text: "y"}}
	for _, export := range []struct {
		name string
		fn   func(string, []Match) error
	}{
		{"json", ExportJSON},
		{"gzip-json", ExportGzipJSON},
	} {
		t.Run(export.name, func(t *testing.T) {
			p := filepath.Join(dir, export.name)
			if err := export.fn(p, ms); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
				t.Fatalf("exported file: %v, %v", fi, err)
			}
		})
	}
}

func TestFollower(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "live.log", "one\ntw")
	fl, err := Follow(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	if line, err := fl.Next(); err != nil || line != "one" {
		t.Fatalf("Next = %q, %v", line, err)
	}
	if _, err := fl.Next(); err != io.EOF {
		t.Fatalf("partial line: err = %v, want EOF", err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("o\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if line, err := fl.Next(); err != nil || line != "two" {
		t.Fatalf("Next after append = %q, %v", line, err)
	}
	off := filepath.Join(dir, "offset")
	if err := fl.SaveOffset(off); err != nil {
		t.Fatal(err)
	}
	if n, err := LoadOffset(off); err != nil || n != fl.Offset() {
		t.Errorf("LoadOffset = %d, %v; want %d", n, err, fl.Offset())
	}
}

func BenchmarkSearchReader(b *testing.B) {
	body := strings.Repeat(sampleLog, 1000)
	re := regexp.MustCompile(`ERROR|WARN`)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := SearchReader(strings.NewReader(body), "bench", re, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchFileReopen(b *testing.B) {
	p := writeFile(b, b.TempDir(), "bench.log", strings.Repeat(sampleLog, 100))
	re := regexp.MustCompile(`ERROR`)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := SearchReader(f, p, re, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchFile(b *testing.B) {
	p := writeFile(b, b.TempDir(), "bench.log", strings.Repeat(sampleLog, 100))
	re := regexp.MustCompile(`ERROR`)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := SearchFile(p, re, Options{}); err != nil { // ok: SearchFile closes per call
			b.Fatal(err)
		}
	}
}
