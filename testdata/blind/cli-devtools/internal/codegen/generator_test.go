package codegen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sampleSpec() Spec {
	return Spec{Name: "BuildInfo", Doc: "BuildInfo describes a build.", Fields: []Field{
		{Name: "version", Type: "string", Tag: `json:"version"`},
		{Name: "dirty", Type: "bool"},
	}}
}

func TestRender(t *testing.T) {
	g, err := New("model", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src, err := g.Render(sampleSpec())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"package model", "type BuildInfo struct", "Version string", "func (b *BuildInfo) Clone()"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("output lacks %q:\n%s", want, src)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x_gen.go")
	if err := WriteFileAtomic(path, []byte("package x\n")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() != int64(len("package x\n")) {
		t.Fatalf("stat = %v, %v", fi, err)
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{"BuildInfo": "build_info", "ID": "i_d", "x": "x"} {
		if got := SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	s := sampleSpec()
	s.Fields = append(s.Fields, Field{Name: "dirty", Type: "bool"})
	if err := s.Validate(); err == nil {
		t.Fatal("duplicate field accepted")
	}
}
