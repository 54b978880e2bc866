package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailsrv.json")
	cfg := Default()
	cfg.Hostname = "mx1.example.org"
	cfg.LocalDomains = []string{"example.org"}
	cfg.GreylistDelay = Duration{90 * time.Second}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.GreylistDelay.Duration != 90*time.Second || !got.IsLocal("EXAMPLE.org") {
		t.Fatalf("round trip lost settings: %+v", got)
	}
	if err := got.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadRejectsUnknownFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte(`{"hostname":"x","listne":":25"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil {
		t.Fatal("typo in field name was accepted")
	}
}
