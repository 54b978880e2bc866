package codegen

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"

	"example.com/clitests/internal/cliutil"
	"example.com/clitests/internal/pidfile"
)

const colorsSpec = `# test spec
package colors
enum Color Red Green Blue
enum Size Small Large
`

func mustParse(t testing.TB, src string) *Spec {
	t.Helper()
	s, err := ParseSpec(strings.NewReader(src), "test.spec")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func quietTrace(t testing.TB) {
	t.Helper()
	t.Cleanup(cliutil.SetOutput(io.Discard))
}

func TestParseSpecErrors(t *testing.T) {
	tests := []struct {
		name, src, wantErr string
	}{
		{"no package", "enum A B", "missing package"},
		{"bad package", "package 1x", "want: package NAME"},
		{"short enum", "package p\nenum A", "want: enum NAME"},
		{"bad value", "package p\nenum A b-c", "not an identifier"},
		{"unknown", "package p\nstruct X", "unknown directive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseSpec(strings.NewReader(tt.src), "x.spec")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRender(t *testing.T) {
	src, err := Render(mustParse(t, colorsSpec))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"package colors",
		"ColorRed Color = iota",
		"func (v Size) String() string",
		`"Small", "Large"`,
	} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("output lacks %q:\n%s", want, src)
		}
	}
}

func TestRenderWithPanickingFunc(t *testing.T) {
	tmpl := template.Must(template.New("bad").Funcs(template.FuncMap{
		"boom": func() string { panic("template func exploded") },
	}).Parse(`package {{.Package}} // {{boom}}`))
	_, err := RenderWith(tmpl, mustParse(t, colorsSpec))
	if err == nil {
		t.Fatal("want an error")
	}
}

func TestGenerateAll(t *testing.T) {
	quietTrace(t)
	dir := t.TempDir()
	specs := []*Spec{
		mustParse(t, colorsSpec),
		mustParse(t, "package sizes\nenum Size S M L\n"),
	}
	g := NewGenerator()
	if err := g.GenerateAll(specs, dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"colors_enum.go", "sizes_enum.go"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(filepath.Join(dir, name+".lock")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("lock file for %s left behind", name)
		}
	}
	if g.Cached() != 2 {
		t.Errorf("cached = %d", g.Cached())
	}
}

func TestGenerateLockedWhileHeld(t *testing.T) {
	quietTrace(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "colors_enum.go")
	lk, err := pidfile.Acquire(out + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Release()
	err = NewGenerator().GenerateAll([]*Spec{mustParse(t, colorsSpec)}, dir)
	if !errors.Is(err, pidfile.ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
}

// chdir switches to dir and returns a func that switches back.
func chdir(t *testing.T, dir string) func() {
	t.Helper()
	old, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.Chdir(old); err != nil {
			t.Errorf("restore working directory: %v", err)
		}
	}
}

func TestLoadSpecRelative(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "colors.spec"), []byte(colorsSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	defer chdir(t, dir) // HAZ defer-func-result-not-called
	s, err := LoadSpec("colors.spec")
	if err != nil {
		t.Fatal(err)
	}
	if s.Package != "colors" {
		t.Errorf("package = %q", s.Package)
	}
}

func TestLoadSpecAbsolute(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "colors.spec")
	if err := os.WriteFile(p, []byte(colorsSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSpec(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Enums) != 2 {
		t.Errorf("enums = %v", s.Enums)
	}
}

func TestWriteBundleTo(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gen.tar.gz")
	files := map[string][]byte{"a.go": []byte("package a\n"), "b.go": []byte("package b\n")}
	if err := WriteBundleTo(p, files); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
	}
	if strings.Join(names, ",") != "a.go,b.go" {
		t.Errorf("entries = %v", names)
	}
}

func TestDumpSpecChecked(t *testing.T) {
	p := filepath.Join(t.TempDir(), "spec.json")
	if err := DumpSpecChecked(p, mustParse(t, colorsSpec)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"Package": "colors"`)) {
		t.Errorf("dump = %s", b)
	}
}

func BenchmarkRender(b *testing.B) {
	s := mustParse(b, colorsSpec)
	for i := 0; i < b.N; i++ {
		if _, err := Render(s); err != nil {
			b.Fatal(err)
		}
	}
}
