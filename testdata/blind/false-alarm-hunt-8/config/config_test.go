package config_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"example.com/falsealarm8/config"
	"example.com/falsealarm8/testutil"
)

func TestParse(t *testing.T) {
	vals, err := config.Parse(strings.NewReader("# comment\na = 1\n\nb=two\na=3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if vals["a"] != "3" || vals["b"] != "two" || len(vals) != 2 {
		t.Errorf("vals = %v", vals)
	}
	if _, err := config.Parse(strings.NewReader("novalue\n")); err == nil {
		t.Error("expected an error for a line without '='")
	}
}

func TestWatcherReloads(t *testing.T) {
	path := testutil.WriteFile(t, "app.conf", "level = info\n")
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	store := config.NewStore(c)
	w := config.StartWatcher(path, store, 10*time.Millisecond, t.Logf)
	t.Cleanup(w.Stop)

	later := c.ModTime.Add(time.Second)
	if err := os.WriteFile(path, []byte("level = debug\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 2*time.Second, 10*time.Millisecond, func() bool {
		return store.Current().Get("level", "") == "debug"
	})
}

func TestEditCommit(t *testing.T) {
	store := config.NewStore(&config.Config{Values: map[string]string{"a": "1"}})
	before := store.Current()
	vals, commit := store.Edit()
	vals["a"] = "2"
	commit()
	if before.Values["a"] != "1" {
		t.Error("Edit mutated the installed config")
	}
	if got := store.Current().Values["a"]; got != "2" || store.Version() != 2 {
		t.Errorf("after commit a=%q version=%d", got, store.Version())
	}
}
