package templates

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRegisterAndRender(t *testing.T) {
	r := NewRenderer(t.TempDir(), "https://news.example.com")
	if err := r.Register("hello", `Hi {{upper .Name}} {{unsubscribeURL .Token}}`); err != nil {
		t.Fatal(err)
	}
	got, err := r.RenderString("hello", map[string]string{"Name": "ada", "Token": "abc"})
	if err != nil {
		t.Fatal(err)
	}
	if got != "Hi ADA https://news.example.com/u?t=abc" {
		t.Fatalf("got %q", got)
	}
}

func TestGuardedRenderConvertsPanics(t *testing.T) {
	r := NewRenderer(t.TempDir(), "")
	r.funcs["boom"] = func() string { panic("boom") }
	r.MustRegister("bad", `{{boom}}`)
	var sb strings.Builder
	if err := r.GuardedRender(&sb, "bad", nil); err == nil {
		t.Fatal("expected an error from a panicking template func")
	}
}

func TestRenderFromDisk(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"layouts", "campaigns"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"layouts/footer.tmpl":  `{{define "footer"}}-- unsubscribe{{end}}`,
		"campaigns/july.tmpl":  `July news{{template "footer"}}`,
		"campaigns/empty.tmpl": ``,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := NewRenderer(dir, "")
	out := filepath.Join(t.TempDir(), "july.txt")
	if err := r.RenderToFile(out, "july", nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "July news-- unsubscribe" {
		t.Fatalf("rendered %q", data)
	}
	if err := r.Register("july", "x"); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate register: %v", err)
	}
}
