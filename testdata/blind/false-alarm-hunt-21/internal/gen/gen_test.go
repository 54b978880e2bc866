package gen

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newTestGenerator(t *testing.T) *Generator {
	t.Helper()
	tmpl := t.TempDir()
	body := "package {{.Package}}\n\nconst {{export .Name}} = {{quote .Name}}\n"
	if err := os.WriteFile(filepath.Join(tmpl, "const.tmpl"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := New(t.TempDir(), tmpl, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGenerateFormatted(t *testing.T) {
	g := newTestGenerator(t)
	sp := Spec{Name: "answer", Package: "consts", Template: "const.tmpl", Out: "answer.go"}
	src, err := g.render(sp)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.GenerateFormatted(sp, src); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(g.OutDir, "answer.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `const Answer = "answer"`) {
		t.Fatalf("unexpected output:\n%s", got)
	}
}

func TestRunHooksIsolatedRecovers(t *testing.T) {
	hooks := []Hook{
		{Name: "ok", Fn: func(*HookContext) error { return nil }},
		{Name: "boom", Fn: func(*HookContext) error { panic("boom") }},
	}
	err := RunHooksIsolated(&HookContext{}, hooks)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v", err)
	}
}

func TestRegistryReplace(t *testing.T) {
	r := NewRegistry()
	first := func(Spec) ([]byte, error) { return nil, errors.New("first") }
	if _, existed := r.Replace("proto", first); existed {
		t.Fatal("empty registry reported an existing backend")
	}
	if _, existed := r.Replace("proto", first); !existed {
		t.Fatal("second Replace did not see the first backend")
	}
	if names := r.Names(); len(names) != 1 || names[0] != "proto" {
		t.Fatalf("Names = %v", names)
	}
}

func TestFormatSourceRejectsGarbage(t *testing.T) {
	if _, err := formatSource([]byte("package x\nfunc {")); err == nil {
		t.Fatal("expected a format error")
	}
}
