package journal

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestRecordSyncReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "commands.log")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	j.Record("dev-1", "reboot", nil)
	j.Record("dev-2", "fw.chunk", errors.New("ack timeout\tretrying"))
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	var got []Entry
	if err := Replay(path, func(e Entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Status != "ok" || got[1].Status != "error: ack timeout retrying" {
		t.Fatalf("replayed %+v", got)
	}
}

func TestExportFiltersByDevice(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "commands.log")
	j, err := Open(src)
	if err != nil {
		t.Fatal(err)
	}
	j.Record("dev-1", "reboot", nil)
	j.Record("dev-2", "reboot", nil)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "dev-1.log")
	if err := Export(src, dst, "dev-1"); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := Replay(dst, func(Entry) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("exported %d entries, want 1", n)
	}
}
