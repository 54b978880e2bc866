package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gateway.json")
	want := Default()
	want.Upstreams = []Upstream{{Name: "a", URL: "http://10.0.0.1:8080"}}
	want.CacheTTL = Duration{45 * time.Second}

	if err := Save(path, want); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.CacheTTL != want.CacheTTL || got.Upstreams[0] != want.Upstreams[0] {
		t.Fatalf("round trip mismatch: got %+v want %+v", got, want)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{"ok", func(*Config) {}, ""},
		{"no upstreams", func(c *Config) { c.Upstreams = nil }, "at least one upstream"},
		{"dup", func(c *Config) { c.Upstreams = append(c.Upstreams, c.Upstreams[0]) }, "listed twice"},
		{"retries", func(c *Config) { c.Retries = 9 }, "retries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := Default()
			cfg.Upstreams = []Upstream{{Name: "a", URL: "http://a.internal"}}
			tc.mutate(cfg)
			err := cfg.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v does not mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestReadAllStopsAtFirstError(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte(`{"upstreams":[{"name":"a","url":"http://a"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadAll([]string{good, filepath.Join(dir, "missing.json")})
	if err == nil {
		t.Fatal("expected an error for the missing file")
	}
}
