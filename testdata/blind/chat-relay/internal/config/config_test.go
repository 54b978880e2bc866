package config

import (
	"path/filepath"
	"testing"
	"time"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "relay.json")
	want := Default()
	want.AdminToken = "s3cret"
	want.IdleTimeout = Duration{90 * time.Second}
	want.Peers = []string{"relay-b:6667"}
	if err := Save(path, want); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.IdleTimeout != want.IdleTimeout || got.AdminToken != want.AdminToken || len(got.Peers) != 1 {
		t.Fatalf("round trip: got %+v", got)
	}
}
