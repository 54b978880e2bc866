package replay

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sampleReplay(lobby string, frames int) *Replay {
	r := &Replay{Header: Header{
		Version: FormatVersion,
		LobbyID: lobby,
		Region:  "eu-west",
		Players: []string{"a", "b"},
		Started: time.Date(2024, 5, 1, 18, 0, 0, 0, time.UTC),
	}}
	for i := 0; i < frames; i++ {
		r.Frames = append(r.Frames, Frame{Tick: uint32(i * 2), PlayerID: r.Header.Players[i%2], Action: "move", X: float32(i), Y: 1})
	}
	return r
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 500} {
		path := filepath.Join(dir, "lb.replay.gz")
		if err := Save(path, sampleReplay("lb-1", n)); err != nil {
			t.Fatalf("Save(%d frames): %v", n, err)
		}
		got, err := Load(path)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if len(got.Frames) != n {
			t.Fatalf("loaded %d frames, want %d", len(got.Frames), n)
		}
	}
}

func TestLoadAllReportsBadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.replay.gz")
	if err := Save(good, sampleReplay("lb-2", 3)); err != nil {
		t.Fatal(err)
	}
	_, err := LoadAll([]string{good, filepath.Join(dir, "missing.replay.gz")})
	if err == nil || !strings.Contains(err.Error(), "missing.replay.gz") {
		t.Fatalf("LoadAll error = %v, want one naming the missing file", err)
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sampleReplay("lb-3", 2)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || lines[0] != "tick,player,action,x,y" {
		t.Fatalf("unexpected CSV:\n%s", buf.String())
	}
}

func TestDuration(t *testing.T) {
	r := sampleReplay("lb-4", 61)
	if got := r.Duration(60); got != 2*time.Second {
		t.Fatalf("Duration = %s, want 2s", got)
	}
}
