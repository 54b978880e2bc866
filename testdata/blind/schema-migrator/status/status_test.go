package status

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"example.com/migrator/migrate"
)

func TestBuildStates(t *testing.T) {
	migs := []migrate.Migration{
		{Version: 1, Name: "a", UpSQL: "CREATE TABLE a (id INTEGER);"},
		{Version: 2, Name: "b", UpSQL: "CREATE TABLE b (id INTEGER);"},
		{Version: 3, Name: "c", UpSQL: "CREATE TABLE c (id INTEGER);"},
	}
	now := time.Now()
	applied := map[int64]migrate.AppliedMigration{
		1: {Version: 1, Name: "a", Checksum: migs[0].Checksum(), AppliedAt: now},
		2: {Version: 2, Name: "b", Checksum: "edited", AppliedAt: now},
		9: {Version: 9, Name: "gone", Checksum: "x", AppliedAt: now},
	}
	rows := Build(migs, applied)
	want := []State{Applied, Modified, Pending, Orphan}
	if len(rows) != len(want) {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		if r.State != want[i] {
			t.Errorf("row %d: %s, want %s", i, r.State, want[i])
		}
	}
}

func TestPrintHasHeader(t *testing.T) {
	var buf bytes.Buffer
	if err := Print(&buf, []Row{{Version: 1, Name: "a", State: Pending}}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "VERSION") {
		t.Fatalf("output %q", buf.String())
	}
}
