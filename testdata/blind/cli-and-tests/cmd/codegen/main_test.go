package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "colors.spec")
	if err := os.WriteFile(spec, []byte("package colors\nenum Color Red Green\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		out     string
		dump    string
		wantErr bool
	}{
		{name: "plain", out: filepath.Join(dir, "a.go")},
		{name: "with dump", out: filepath.Join(dir, "b.go"), dump: filepath.Join(dir, "b.json")},
		{name: "missing dir", out: filepath.Join(dir, "nope", "c.go"), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := generate(spec, tt.out, tt.dump, "")
			if (err != nil) != tt.wantErr {
				t.Fatalf("generate: %v", err)
			}
			if tt.wantErr {
				return
			}
			src, err := os.ReadFile(tt.out)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(src), "func (v Color) String() string") {
				t.Errorf("output:\n%s", src)
			}
		})
	}
}
