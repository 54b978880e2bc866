package mirror

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDurationJSON(t *testing.T) {
	var m Mirror
	if err := json.Unmarshal([]byte(`{"name":"linux","remote":"https://example.org/linux.git","interval":"15m"}`), &m); err != nil {
		t.Fatal(err)
	}
	if time.Duration(m.Interval) != 15*time.Minute {
		t.Fatalf("interval = %v", time.Duration(m.Interval))
	}
	b, err := json.Marshal(m.Interval)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `"15m0s"` {
		t.Fatalf("marshal = %s", b)
	}
}

func TestLoadConfigRejectsUnknownFields(t *testing.T) {
	p := filepath.Join(t.TempDir(), "mirrors.json")
	if err := os.WriteFile(p, []byte(`[{"name":"x","remote":"r","intervall":"1h"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(p); err == nil {
		t.Fatal("LoadConfig accepted a misspelt field")
	}
}
