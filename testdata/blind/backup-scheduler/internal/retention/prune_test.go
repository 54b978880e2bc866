package retention

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestArchiveNameRoundTrip(t *testing.T) {
	now := time.Date(2024, 5, 1, 2, 30, 0, 0, time.UTC)
	target, created, ok := ParseArchiveName(ArchiveName("db-main", now))
	if !ok || target != "db-main" || !created.Equal(now) {
		t.Fatalf("got %q %v %v", target, created, ok)
	}
}

func TestPrune(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 6; d++ {
		name := ArchiveName("home", now.AddDate(0, 0, -d))
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := Prune(dir, "home", Policy{KeepLast: 2, KeepWithin: 72 * time.Hour}, now, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 3 {
		t.Fatalf("removed %d archives, want 3: %v", len(removed), removed)
	}
}
