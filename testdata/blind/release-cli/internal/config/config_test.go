package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

const sample = `{
  "project": "relcli",
  "version": "1.4.0",
  "targets": [{"os": "linux", "arch": "amd64"}, {"os": "darwin", "arch": "arm64"}],
  "formats": ["tar.gz", "zip"],
  "publish": {"url": "https://releases.example.com", "timeout": "90s"}
}`

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadAppliesDefaults(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, FileName, sample)

	cfg, err := Load(p)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if cfg.DistDir != "dist" {
		t.Errorf("DistDir = %q, want dist", cfg.DistDir)
	}
	if cfg.Publish.Timeout.Duration != 90*time.Second {
		t.Errorf("timeout = %s, want 90s", cfg.Publish.Timeout)
	}
	if cfg.Publish.Concurrency != 4 {
		t.Errorf("concurrency = %d, want 4", cfg.Publish.Concurrency)
	}
}

func TestLoadEnvFileOverrides(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, FileName, sample)
	writeFile(t, dir, ".release.env", "# ci\nRELCLI_VERSION=\"2.0.0-rc1\"\n")

	cfg, err := Load(p)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if cfg.Version != "2.0.0-rc1" {
		t.Errorf("Version = %q", cfg.Version)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"ok", Config{Project: "p", Targets: []Target{{OS: "linux", Arch: "amd64"}}, Formats: []string{"zip"}}, false},
		{"no project", Config{Targets: []Target{{OS: "linux", Arch: "amd64"}}}, true},
		{"dup target", Config{Project: "p", Targets: []Target{{OS: "linux", Arch: "amd64"}, {OS: "linux", Arch: "amd64"}}}, true},
		{"bad format", Config{Project: "p", Targets: []Target{{OS: "linux", Arch: "amd64"}}, Formats: []string{"rar"}}, true},
	}
	for _, tt := range tests {
		tt := tt
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

func TestSaveRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	in := &Config{Project: "x", Targets: []Target{{OS: "windows", Arch: "amd64"}}}
	in.applyDefaults()
	if err := Save(p, in); err != nil {
		t.Fatal(err)
	}
	out, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if out.Project != "x" || out.Targets[0].String() != "windows/amd64" {
		t.Fatalf("round trip mismatch: %+v", out)
	}
}
