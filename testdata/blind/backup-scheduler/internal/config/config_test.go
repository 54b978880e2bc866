package config

import (
	"path/filepath"
	"strings"
	"testing"
)

const sample = `
# scheduler config
archive_dir = /var/backups
store_url = http://127.0.0.1:9000
concurrency = 2

[target home]
paths = /home, /root
schedule = 30 2 * * *
keep_last = 5

[target etc]
paths = /etc
schedule = @daily
keep_within = 720h
`

func TestParse(t *testing.T) {
	c, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if c.Concurrency != 2 || len(c.Targets) != 2 {
		t.Fatalf("got %+v", c)
	}
	home, ok := c.Target("home")
	if !ok || len(home.Paths) != 2 || home.KeepLast != 5 {
		t.Fatalf("home = %+v", home)
	}
}

func TestSaveRoundTrip(t *testing.T) {
	c, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.conf")
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Targets) != len(c.Targets) || back.Targets[1].KeepWithin != c.Targets[1].KeepWithin {
		t.Fatalf("round trip: got %+v, want %+v", back, c)
	}
}
