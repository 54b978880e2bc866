package fileexporter

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

var testRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fileexporter-test")
	if err != nil {
		log.Fatalf("temp dir: %v", err)
	}
	testRoot = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		log.Printf("cleanup %s: %v", dir, err)
	}
	os.Exit(code)
}

func newTestExporter(t *testing.T, cfg Config) *Exporter {
	t.Helper()
	dir, err := os.MkdirTemp(testRoot, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Path = filepath.Join(dir, "spans.jsonl")
	logger := log.New(io.Discard, "", 0)
	return New(cfg, obsreport.NewRecorder("file", logger), logger)
}

func readLines(t *testing.T, path string) []pdata.Batch {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pdata.Batch
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var b pdata.Batch
		if err := json.Unmarshal(sc.Bytes(), &b); err != nil {
			t.Fatalf("line %d: %v", len(out)+1, err)
		}
		out = append(out, b)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestShutdownFlushesBufferedLines(t *testing.T) {
	e := newTestExporter(t, Config{FlushInterval: time.Hour})
	if err := e.Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	b := pdata.Batch{Spans: []pdata.Span{{TraceID: "t1", SpanID: "s1", Name: "GET /"}}}
	for i := 0; i < 3; i++ {
		if err := e.ConsumeTraces(context.Background(), b); err != nil {
			t.Fatalf("consume %d: %v", i, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if got := len(readLines(t, e.cfg.Path)); got != 3 {
		t.Fatalf("got %d lines after shutdown, want 3", got)
	}
}

func TestCompressFileRoundTrip(t *testing.T) {
	src := filepath.Join(t.TempDir(), "segment")
	want := []byte(`{"spans":[]}` + "\n")
	if err := os.WriteFile(src, want, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := compressFile(src); err != nil {
		t.Fatalf("compressFile: %v", err)
	}
	f, err := os.Open(src + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("round trip = %q, want %q", got, want)
	}
}

func TestCheckpointReplacesAtomically(t *testing.T) {
	path := filepath.Join(t.TempDir(), "replay.checkpoint")
	for i, off := range []int64{10, 20} {
		if err := writeCheckpoint(path, checkpoint{File: "spans.jsonl", Offset: off}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cp checkpoint
	if err := json.Unmarshal(raw, &cp); err != nil {
		t.Fatal(err)
	}
	if cp.Offset != 20 {
		t.Fatalf("offset = %d, want 20", cp.Offset)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Fatalf("temporary file left behind: %v", err)
	}
}
