package smarthttp

import (
	"bytes"
	"testing"
)

func TestWritePktLine(t *testing.T) {
	var buf bytes.Buffer
	if err := writePktLine(&buf, "# service=git-upload-pack\n"); err != nil {
		t.Fatal(err)
	}
	if err := writeFlush(&buf); err != nil {
		t.Fatal(err)
	}
	want := "001e# service=git-upload-pack\n0000"
	if got := buf.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestSplitRepoPath(t *testing.T) {
	tests := []struct {
		in         string
		repo, rest string
		ok         bool
	}{
		{"/tools.git/info/refs", "tools", "info/refs", true},
		{"/tools/git-upload-pack", "tools", "git-upload-pack", true},
		{"/../etc/passwd", "", "", false},
		{"/tools", "", "", false},
	}
	for _, tt := range tests {
		repo, rest, ok := splitRepoPath(tt.in)
		if repo != tt.repo || rest != tt.rest || ok != tt.ok {
			t.Errorf("splitRepoPath(%q) = %q, %q, %v; want %q, %q, %v", tt.in, repo, rest, ok, tt.repo, tt.rest, tt.ok)
		}
	}
}

func TestValidPath(t *testing.T) {
	for _, p := range []string{"README.md", "src/main.go", ""} {
		if !validPath(p) {
			t.Errorf("validPath(%q) = false", p)
		}
	}
	for _, p := range []string{"/etc/passwd", "../x", "a/../../b", "-n"} {
		if validPath(p) {
			t.Errorf("validPath(%q) = true", p)
		}
	}
}
