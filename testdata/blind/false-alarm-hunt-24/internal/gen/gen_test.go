package gen

import (
	"context"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
)

func newTestGenerator(t *testing.T) *Generator {
	t.Helper()
	tmpl := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmpl, "const.tmpl"), []byte("package {{.pkg}}\n\nconst {{camel .name}} = {{quote .value}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := New(Config{
		TemplateDir: tmpl,
		OutDir:      t.TempDir(),
		CachePath:   filepath.Join(t.TempDir(), "cache.json"),
		Workers:     2,
	}, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func testTargets(n int) []Target {
	var ts []Target
	for i := range n {
		name := string(rune('a' + i))
		ts = append(ts, Target{
			Name:     name,
			Template: "const.tmpl",
			Out:      filepath.Join("pkg", name+".go"),
			Data:     map[string]any{"pkg": "pkg", "name": "v_" + name, "value": name},
		})
	}
	return ts
}

func TestStreamAllDeliversEveryResult(t *testing.T) {
	g := newTestGenerator(t)
	targets := testTargets(5)
	out := make(chan Result)
	go g.StreamAll(context.Background(), targets, out)
	n := 0
	for r := range out {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Target.Name, r.Err)
		}
		n++
	}
	if n != len(targets) {
		t.Fatalf("got %d results, want %d", n, len(targets))
	}
}

func TestRunWritesFormattedGo(t *testing.T) {
	g := newTestGenerator(t)
	if err := g.Run(context.Background(), testTargets(3)); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(g.cfg.OutDir, "pkg", "b.go"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "package pkg\n\nconst VB = \"b\"\n"; string(src) != want {
		t.Fatalf("got %q, want %q", src, want)
	}
}

func TestLoadTargetsReportsLine(t *testing.T) {
	p := filepath.Join(t.TempDir(), "targets.jsonl")
	body := "# header\n{\"name\":\"a\",\"template\":\"const.tmpl\",\"out\":\"a.go\"}\nnot json\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadTargets(p)
	if err == nil {
		t.Fatal("expected an error for line 3")
	}
}
