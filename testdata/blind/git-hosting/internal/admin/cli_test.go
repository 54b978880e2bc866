package admin

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHumanBytes(t *testing.T) {
	cases := map[int64]string{
		0:       "0 B",
		1023:    "1023 B",
		1024:    "1.0 KiB",
		1536:    "1.5 KiB",
		5 << 20: "5.0 MiB",
	}
	for n, want := range cases {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRunScriptCountsFailures(t *testing.T) {
	script := filepath.Join(t.TempDir(), "batch.txt")
	body := "# maintenance\nhelp\nfrobnicate\n\nrename onlyone\n"
	if err := os.WriteFile(script, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	c := &CLI{Out: &out, Err: &errOut}
	failed, err := c.RunScript(script)
	if err != nil {
		t.Fatal(err)
	}
	if failed != 2 {
		t.Fatalf("failed = %d, want 2 (stderr: %s)", failed, errOut.String())
	}
	if !strings.Contains(out.String(), "usage:") {
		t.Fatalf("help output missing: %q", out.String())
	}
}

func TestRunWithoutArgsPrintsUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	c := &CLI{Out: &out, Err: &errOut}
	if code := c.Run(nil); code != 2 {
		t.Fatalf("Run(nil) = %d, want 2", code)
	}
	if !strings.HasPrefix(errOut.String(), "usage:") {
		t.Fatalf("stderr = %q", errOut.String())
	}
}
