package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/clitests/internal/cliutil"
)

func TestRun(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     func(dst string) []string
		wantCode int
		wantFile bool
		wantErr  string
	}{
		{"usage", func(string) []string { return []string{src} }, cliutil.ExitUsage, false, "usage"},
		{"bad flag", func(string) []string { return []string{"-nope"} }, cliutil.ExitFailure, false, "flag provided but not defined"},
		{"help", func(string) []string { return []string{"-h"} }, cliutil.ExitOK, false, ""},
		{"dry run", func(dst string) []string { return []string{"-n", src, dst} }, cliutil.ExitOK, false, "would copy a.txt"},
		{"copy", func(dst string) []string { return []string{src, dst} }, cliutil.ExitOK, true, "copied=1"},
		{"with state", func(dst string) []string {
			return []string{"-state", filepath.Join(dst, "..", filepath.Base(dst)+".state"), src, dst}
		}, cliutil.ExitOK, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			t.Cleanup(cliutil.SetOutput(new(bytes.Buffer)))
			dst := filepath.Join(t.TempDir(), "dst")
			var stderr bytes.Buffer
			code := run(context.Background(), tt.args(dst), &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.wantErr)
			}
			_, err := os.Stat(filepath.Join(dst, "a.txt"))
			if (err == nil) != tt.wantFile {
				t.Errorf("a.txt exists = %v, want %v", err == nil, tt.wantFile)
			}
		})
	}
}

func TestRunHoldsLock(t *testing.T) {
	t.Cleanup(cliutil.SetOutput(new(bytes.Buffer)))
	src, dir := t.TempDir(), t.TempDir()
	lock := filepath.Join(dir, "sync.lock")
	if err := os.WriteFile(lock, []byte("1\n"), 0o600); err != nil { // pid 1 is always alive
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"-lock", lock, src, filepath.Join(dir, "dst")}, &stderr); code != cliutil.ExitFailure {
		t.Fatalf("code = %d, stderr: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "held by another process") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestRunCanceled(t *testing.T) {
	t.Cleanup(cliutil.SetOutput(new(bytes.Buffer)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := t.TempDir()
	for i := range 20 {
		os.WriteFile(filepath.Join(src, strings.Repeat("f", i+1)), []byte("x"), 0o644)
	}
	var stderr bytes.Buffer
	code := run(ctx, []string{"-j", "1", src, filepath.Join(t.TempDir(), "dst")}, &stderr)
	if code != cliutil.ExitOK && code != cliutil.ExitCanceled {
		t.Errorf("code = %d", code)
	}
}
