package config

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sample = `{
  "version": 3,
  "receivers": {"http": {"type": "httpjson", "endpoint": "127.0.0.1:0"}},
  "processors": {"batch": {"type": "batch"}},
  "exporters": {"out": {"type": "stdout"}},
  "pipelines": {"metrics": {"receivers": ["http"], "processors": ["batch"], "exporters": ["out"]}}
}`

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "collector.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadAppliesDefaults(t *testing.T) {
	path := writeConfig(t, t.TempDir(), sample)
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := cfg.Processors["batch"].BatchSize; got != 512 {
		t.Errorf("batch size = %d, want 512", got)
	}
	if got := time.Duration(cfg.Processors["batch"].Timeout); got != 2*time.Second {
		t.Errorf("timeout = %v, want 2s", got)
	}
}

func TestValidateUnknownExporter(t *testing.T) {
	cfg, err := Parse(strings.NewReader(strings.Replace(sample, `["out"]`, `["nope"]`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "unknown exporter") {
		t.Fatalf("Validate = %v, want unknown exporter", err)
	}
}

func TestSaveRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "out.json")
	if err := Save(path, cfg); err != nil {
		t.Fatalf("Save: %v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, err := Parse(f)
	if err != nil {
		t.Fatalf("Parse saved: %v", err)
	}
	if back.Version != 3 {
		t.Errorf("version = %d, want 3", back.Version)
	}
}

func TestReloaderPicksUpChange(t *testing.T) {
	dir := t.TempDir()
	path := writeConfig(t, dir, sample)
	r, err := NewReloader(path, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	seen := make(chan int, 1)
	r.Subscribe(func(old, cur *Config) { seen <- cur.Version })

	updated := strings.Replace(sample, `"version": 3`, `"version": 4`, 1)
	writeConfig(t, dir, updated)
	future := time.Now().Add(time.Minute)
	if err := os.Chtimes(path, future, future); err != nil {
		t.Fatal(err)
	}
	if err := r.ForceReload(); err != nil {
		t.Fatalf("ForceReload: %v", err)
	}
	select {
	case v := <-seen:
		if v != 4 {
			t.Errorf("subscriber saw version %d, want 4", v)
		}
	case <-time.After(time.Second):
		t.Fatal("subscriber not called")
	}
}
