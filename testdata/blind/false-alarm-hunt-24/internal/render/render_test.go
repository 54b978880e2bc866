package render

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemplates(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRenderTo(t *testing.T) {
	dir := writeTemplates(t, map[string]string{
		"model.tmpl": `type {{camel .Name}} struct{}`,
	})
	r, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.RenderTo(&buf, "model.tmpl", map[string]string{"Name": "user_account"}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "type UserAccount struct{}" {
		t.Fatalf("got %q", got)
	}
}

func TestRenderGoRejectsBrokenCode(t *testing.T) {
	dir := writeTemplates(t, map[string]string{"bad.tmpl": `package x; func {`})
	r, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x.go")
	if err := r.RenderGo(out, "bad.tmpl", nil); err == nil {
		t.Fatal("expected a parse error")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("output written despite error: %v", err)
	}
}

func TestWriteGzipLevelRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "snap.gz")
	want := strings.Repeat("schema ", 1000)
	if err := WriteGzipLevel(p, []byte(want), gzip.BestCompression); err != nil {
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
	defer zr.Close()
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("round trip lost data: %d bytes, want %d", len(got), len(want))
	}
}

func TestCamelSnake(t *testing.T) {
	for in, want := range map[string]string{"user_id": "UserId", "a-b c": "ABC"} {
		if got := Camel(in); got != want {
			t.Errorf("Camel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Snake("HTTPServer"); got != "h_t_t_p_server" {
		t.Errorf("Snake = %q", got)
	}
}
