package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestUp(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"0001_users.up.sql":  "CREATE TABLE users (id INT)",
		"0002_emails.up.sql": "ALTER TABLE users ADD email TEXT",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	csvPath := filepath.Join(t.TempDir(), "status.csv")
	cfg := config{dsn: t.Name(), dir: dir, statusCSV: csvPath, timeout: 5 * time.Second}

	var table bytes.Buffer
	if err := up(cfg, &table); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "emails") {
		t.Errorf("status table:\n%s", table.String())
	}
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "applied"); got != 2 {
		t.Errorf("csv:\n%s", b)
	}
}
