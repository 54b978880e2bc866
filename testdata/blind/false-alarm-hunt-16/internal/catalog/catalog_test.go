package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cfg, err := parse(strings.NewReader("# relay\nlisten = :9000\nsource=/var/log/app.log\nworkers=8\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != ":9000" || cfg.Workers != 8 || len(cfg.Sources) != 1 {
		t.Fatalf("cfg = %+v", cfg)
	}
	if _, err := parse(strings.NewReader("workers=0\n")); err == nil {
		t.Fatal("workers=0 accepted")
	}
}

func TestLoadSkipsMissing(t *testing.T) {
	dir := t.TempDir()
	second := filepath.Join(dir, "relay.conf")
	if err := os.WriteFile(second, []byte("listen=:7000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, used, err := Load(filepath.Join(dir, "missing.conf"), second)
	if err != nil {
		t.Fatal(err)
	}
	if used != second || cfg.Listen != ":7000" {
		t.Fatalf("used %s, cfg %+v", used, cfg)
	}
}
