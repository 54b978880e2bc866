package cgroup

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStatsFromFakeCgroup(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "c1")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"memory.current": "1048576\n",
		"pids.current":   "3\n",
		"cpu.stat":       "usage_usec 5000\nuser_usec 4000\nthrottled_usec 12\n",
	})
	m := &Manager{root: root, log: log.New(io.Discard, "", 0)}
	st, err := m.Stats("c1")
	if err != nil {
		t.Fatal(err)
	}
	if st.MemoryCurrent != 1<<20 || st.PidsCurrent != 3 || st.CPUUsageUsec != 5000 || st.Throttled != 12 {
		t.Fatalf("stats %+v", st)
	}
	if got := m.CollectAllWait([]string{"c1", "gone"}); len(got) != 1 || got[0].ID != "c1" {
		t.Fatalf("CollectAllWait = %+v", got)
	}
	writeFiles(t, dir, map[string]string{"memory.max": "max\n"})
	if v, err := readInt(filepath.Join(dir, "memory.max")); err != nil || v != -1 {
		t.Fatalf("readInt(memory.max) = %d, %v", v, err)
	}
}

func TestMountTableRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mounts.json")
	tbl, err := LoadMountTable(path)
	if err != nil {
		t.Fatal(err)
	}
	tbl.entries = []Mount{{Source: "proc", Target: "/x/proc", FSType: "proc"}}
	if err := tbl.saveLocked(); err != nil {
		t.Fatal(err)
	}
	again, err := LoadMountTable(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Entries(); len(got) != 1 || got[0].Target != "/x/proc" {
		t.Fatalf("entries %+v", got)
	}
}
