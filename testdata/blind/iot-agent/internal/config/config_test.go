package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sample = `{
  "device_id": "dev-17",
  "broker": "gw.local:1883",
  "ports": [{"name": "t0", "path": "/dev/ttyS1", "kind": "temp"}],
  "poll_interval": "5s"
}`

func TestParseAppliesDefaults(t *testing.T) {
	cfg, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(cfg.PollInterval) != 5*time.Second {
		t.Errorf("poll_interval = %v", time.Duration(cfg.PollInterval))
	}
	if cfg.BatchSize != 100 {
		t.Errorf("batch_size = %d", cfg.BatchSize)
	}
}

func TestValidateReportsEverything(t *testing.T) {
	cfg := Default()
	cfg.Ports = []PortConfig{{Name: "x", Kind: "pressure"}, {Name: "x", Kind: "temp"}}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"device_id", "broker", "used twice", "unknown kind"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "agent.json")
	cfg, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.DeviceID != cfg.DeviceID || len(got.Ports) != 1 {
		t.Fatalf("got %+v", got)
	}
}

func TestReloadNotifies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "agent.json")
	if err := os.WriteFile(path, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(path, Default())
	var got string
	w.Subscribe(func(c *Config) { got = c.DeviceID })
	w.Subscribe(func(*Config) { panic("bad subscriber") })
	if err := w.Reload(); err != nil {
		t.Fatal(err)
	}
	if got != "dev-17" || w.Current().DeviceID != "dev-17" {
		t.Fatalf("got %q", got)
	}
}
