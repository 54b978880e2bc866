package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadDefaults(t *testing.T) {
	path := writeConfig(t, `{"paths":["/var/log/app.log"],"collector_url":"https://logs.example.com/ingest","flush_every":"2s"}`)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.BatchSize != 500 || c.FlushEvery.Duration != 2*time.Second {
		t.Fatalf("defaults not applied: %+v", c)
	}
}

func TestLoadRejectsBadURL(t *testing.T) {
	path := writeConfig(t, `{"paths":["/a"],"collector_url":"ftp://x"}`)
	if _, err := Load(path); err == nil {
		t.Fatal("expected a validation error")
	}
}

func TestReloadPublishesLatest(t *testing.T) {
	path := writeConfig(t, `{"paths":["/a"],"collector_url":"http://c/ingest"}`)
	r, err := NewReloader(path, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	sub := r.Subscribe()
	for _, p := range []string{"/b", "/c"} {
		body := `{"paths":["` + p + `"],"collector_url":"http://c/ingest"}`
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := r.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	if got := (<-sub).Paths[0]; got != "/c" {
		t.Fatalf("subscriber got %s, want the latest /c", got)
	}
}
