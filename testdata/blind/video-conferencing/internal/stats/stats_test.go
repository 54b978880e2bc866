package stats

import (
	"encoding/csv"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRecordAndSnapshot(t *testing.T) {
	a := NewAggregator(1, time.Second, log.New(io.Discard, "", 0))
	a.Record(Sample{Room: "b", BitrateKbps: 100, Loss: 0.01})
	a.Record(Sample{Room: "a", BitrateKbps: 300, Loss: 0.05, RTT: 40 * time.Millisecond})
	a.Record(Sample{Room: "a", BitrateKbps: 100, Loss: 0.02})
	snap := a.Snapshot()
	if len(snap) != 2 || snap[0].Room != "a" {
		t.Fatalf("unexpected snapshot %+v", snap)
	}
	if snap[0].AvgKbps != 200 || snap[0].MaxLoss != 0.05 || snap[0].MaxRTT != 40*time.Millisecond {
		t.Fatalf("bad totals for room a: %+v", snap[0])
	}
}

func TestWriteCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "totals.csv")
	if err := WriteCSV(path, []Totals{{Room: "standup", Samples: 3, AvgKbps: 512}}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][0] != "standup" {
		t.Fatalf("rows = %v", rows)
	}
}

func TestFanInClosesOutput(t *testing.T) {
	a, b := make(chan Sample, 2), make(chan Sample, 2)
	a <- Sample{Room: "x"}
	b <- Sample{Room: "y"}
	b <- Sample{Room: "z"}
	close(a)
	close(b)
	n := 0
	for range FanIn(a, b) {
		n++
	}
	if n != 3 {
		t.Fatalf("got %d samples, want 3", n)
	}
}

func TestParseSamplesRejectsShortLine(t *testing.T) {
	_, err := ParseSamples(strings.NewReader("room-1 alice 512 0.01 30\nroom-1 bob\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("got %v, want an error for line 2", err)
	}
}
