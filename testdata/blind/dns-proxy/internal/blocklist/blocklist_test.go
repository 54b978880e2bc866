package blocklist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	cases := map[string]string{
		"ads.example.com":             "ads.example.com",
		"0.0.0.0 Tracker.Example.NET": "tracker.example.net",
		"127.0.0.1 localhost":         "",
		"# comment only":              "",
		"not-an-ip host.example":      "",
	}
	for line, want := range cases {
		got, ok := parseLine(line)
		if (want != "") != ok || got != want {
			t.Errorf("parseLine(%q) = %q, %v; want %q", line, got, ok, want)
		}
	}
}

func TestReloadAndBlocked(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "ads.txt")
	if err := os.WriteFile(list, []byte("doubleclick.example\n0.0.0.0 ads.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := New([]string{list}, filepath.Join(dir, "reload.lock"))
	if err := b.Reload(); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"ads.example.":               true,
		"img.doubleclick.example":    true,
		"example":                    false,
		"notdoubleclick.example.com": false,
	} {
		if got := b.Blocked(name); got != want {
			t.Errorf("Blocked(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestParseReader(t *testing.T) {
	d, err := ParseReader("inline", strings.NewReader("a.example\nb.example # trailing\n"))
	if err != nil || len(d) != 2 {
		t.Fatalf("ParseReader = %v, %v", d, err)
	}
}
