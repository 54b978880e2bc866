package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sample = `{
  "admin": "127.0.0.1:9900",
  "frontends": [
    {
      "name": "web",
      "listen": ":8080",
      "backends": [{"addr": "10.0.0.1:80", "weight": 3}, {"addr": "10.0.0.2:80"}],
      "health": {"kind": "tcp", "interval": "2s"}
    }
  ]
}`

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lbd.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(writeTemp(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	fe, ok := c.Find("WEB")
	if !ok {
		t.Fatal("frontend web not found")
	}
	if fe.Mode != "tcp" || fe.DialTimeout.Duration != 3*time.Second {
		t.Fatalf("defaults not applied: %+v", fe)
	}
	if w := fe.Weights(); w["10.0.0.2:80"] != 1 || w["10.0.0.1:80"] != 3 {
		t.Fatalf("weights = %v", w)
	}
}

func TestValidateReportsAll(t *testing.T) {
	bad := strings.Replace(sample, `":8080"`, `"8080"`, 1)
	bad = strings.Replace(bad, `"10.0.0.2:80"`, `"10.0.0.2"`, 1)
	_, err := Load(writeTemp(t, bad))
	if err == nil {
		t.Fatal("expected validation error")
	}
	for _, want := range []string{"listen", "10.0.0.2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestSaveRoundTrip(t *testing.T) {
	c, err := Load(writeTemp(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "saved.json")
	if err := Save(out, c); err != nil {
		t.Fatal(err)
	}
	c2, err := Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(c2.Frontends) != 1 || c2.Frontends[0].Health.Interval.Duration != 2*time.Second {
		t.Fatalf("round trip lost data: %+v", c2.Frontends)
	}
}
