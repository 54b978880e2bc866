package leaderboard

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecordAndRank(t *testing.T) {
	b := New()
	b.Record(Update{PlayerID: "a", Name: "Ada", Delta: 30, Win: true})
	b.Record(Update{PlayerID: "b", Name: "Bo", Delta: 10, Win: true})
	if got := b.Rank("a"); got != 1 {
		t.Fatalf("Rank(a) = %d, want 1", got)
	}
	if got := b.Rank("b"); got != 2 {
		t.Fatalf("Rank(b) = %d, want 2", got)
	}
	if _, rank, ok := b.Card("b"); !ok || rank != 2 {
		t.Fatalf("Card(b) rank = %d, %v", rank, ok)
	}
}

func TestTopOrderAndPrint(t *testing.T) {
	b := New()
	b.ApplyAll([]Update{
		{PlayerID: "a", Name: "Ada", Delta: 5, Win: true},
		{PlayerID: "b", Name: "Bo", Delta: 50, Win: true},
		{PlayerID: "c", Name: "Cy", Delta: 20},
	})
	top := b.Top(2)
	if len(top) != 2 || top[0].PlayerID != "b" || top[1].PlayerID != "c" {
		t.Fatalf("Top(2) = %+v", top)
	}
	var buf bytes.Buffer
	top.Print(&buf)
	if !strings.Contains(buf.String(), "Bo") {
		t.Fatalf("Print output %q lacks the leader", buf.String())
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	b := New()
	b.Record(Update{PlayerID: "a", Name: "Ada", Delta: 42, Win: true})
	path := filepath.Join(dir, "board.json")
	if err := b.SaveSnapshotAtomic(path); err != nil {
		t.Fatal(err)
	}
	if dirty, _ := b.Dirty(); dirty {
		t.Fatal("board still dirty after save")
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := loaded.Get("a"); !ok || e.Score != 42 {
		t.Fatalf("loaded entry = %+v, %v", e, ok)
	}
}

func TestExportCSV(t *testing.T) {
	b := New()
	b.Record(Update{PlayerID: "a", Name: "Ada", Delta: 1, Win: true})
	if err := b.ExportCSV(filepath.Join(t.TempDir(), "lb.csv")); err != nil {
		t.Fatal(err)
	}
}
