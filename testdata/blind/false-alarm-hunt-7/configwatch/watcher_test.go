package configwatch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, path, body string, mod time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

func TestReloadIfChangedNotifies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.conf")
	base := time.Now().Add(-time.Hour)
	writeConfig(t, path, "a=1\n", base)
	w, err := New(path)
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	unsub := w.Subscribe(func(old, nw Config) { changed = Diff(old, nw) })
	t.Cleanup(unsub)

	writeConfig(t, path, "a=2\nb=3\n", base.Add(time.Minute))
	ok, err := w.ReloadIfChanged()
	if err != nil || !ok {
		t.Fatalf("reload = %v, %v", ok, err)
	}
	if strings.Join(changed, ",") != "a,b" {
		t.Fatalf("changed = %v", changed)
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	if _, err := Parse(strings.NewReader("novalue\n")); err == nil {
		t.Fatal("want error")
	}
}

func TestApplyRemote(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("mode=remote\n"))
	}))
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "app.conf")
	writeConfig(t, path, "mode=local\n", time.Now())
	w, err := New(path, WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.ApplyRemote(context.Background(), srv.URL); err != nil {
		t.Fatal(err)
	}
	if v, _ := w.Get("mode"); v != "remote" {
		t.Fatalf("mode = %q", v)
	}
}

func TestConfigAccessors(t *testing.T) {
	c := Config{"n": "7", "d": "2s", "b": "true", "bad": "x"}
	if c.Int("n", 0) != 7 || c.Int("bad", 3) != 3 {
		t.Fatal("Int")
	}
	if c.Duration("d", 0) != 2*time.Second || !c.Bool("b", false) {
		t.Fatal("Duration/Bool")
	}
}
