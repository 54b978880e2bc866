package sshd

import (
	"bufio"
	"errors"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		line          string
		service, repo string
		ok            bool
	}{
		{"git-upload-pack 'tools.git'", "git-upload-pack", "tools", true},
		{"git-receive-pack '/web-frontend.git'\n", "git-receive-pack", "web-frontend", true},
		{"git-upload-archive \"docs\"", "git-upload-archive", "docs", true},
		{"rm -rf /", "", "", false},
		{"git-upload-pack '../etc'", "", "", false},
		{"git-upload-pack", "", "", false},
	}
	for _, tt := range tests {
		service, repo, err := parseCommand(tt.line)
		if (err == nil) != tt.ok || service != tt.service || repo != tt.repo {
			t.Errorf("parseCommand(%q) = %q, %q, %v", tt.line, service, repo, err)
		}
	}
}

func TestReadLineLimit(t *testing.T) {
	br := bufio.NewReaderSize(strings.NewReader(strings.Repeat("x", 5000)+"\n"), 16)
	if _, err := readLine(br, 1024); !errors.Is(err, errLineTooBig) {
		t.Fatalf("readLine error = %v, want errLineTooBig", err)
	}
}

func TestParseKeys(t *testing.T) {
	in := "# fingerprints\nSHA256:aaa alice tools docs\nSHA256:bbb bob\n"
	users, writers, err := parseKeys(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if users["SHA256:aaa"] != "alice" || users["SHA256:bbb"] != "bob" {
		t.Fatalf("users = %v", users)
	}
	if !writers["alice"]["docs"] || writers["bob"]["tools"] {
		t.Fatalf("writers = %v", writers)
	}
}
