package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeLog(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	logPath := writeLog(t, "a ok\nb ERROR\nc ok\n")
	profile := filepath.Join(t.TempDir(), "cpu.out")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
	}{
		{"match", []string{"-cpuprofile", profile, "ERROR", logPath}, exitFound, "b ERROR\n"},
		{"no match", []string{"-cpuprofile", profile + "2", "FATAL", logPath}, exitNone, ""},
		{"bad regexp", []string{"(", logPath}, exitTrouble, ""},
		{"no pattern", nil, exitTrouble, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("code = %d, want %d (stderr %q)", code, tt.wantCode, stderr.String())
			}
			if stdout.String() != tt.wantStdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.wantStdout)
			}
		})
	}
}

func TestRunURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "remote ERROR\nremote ok\n")
	}))
	defer srv.Close() // ok: a plain Close
	var stdout, stderr bytes.Buffer
	code := run([]string{"-cpuprofile", filepath.Join(t.TempDir(), "cpu"), "-url", srv.URL, "ERROR"}, &stdout, &stderr)
	if code != exitFound || !strings.Contains(stdout.String(), "remote ERROR") {
		t.Fatalf("code %d stdout %q stderr %q", code, stdout.String(), stderr.String())
	}
}

func TestPrintCount(t *testing.T) {
	var buf bytes.Buffer
	if err := printCount(&buf, 3); err != nil || buf.String() != "3\n" {
		t.Fatalf("printCount = %q, %v", buf.String(), err)
	}
}
