package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// fakePlugin is the echo plugin under another name.
type fakePlugin struct {
	echoPlugin
	name string
}

func (f *fakePlugin) Name() string { return f.name }

func newTestHost(t *testing.T) *Host {
	t.Helper()
	h := NewHost(Builtins(), log.New(io.Discard, "", 0))
	t.Cleanup(func() { h.Shutdown() })
	return h
}

func TestRegistryAlias(t *testing.T) {
	r := Builtins()
	if _, ok := r.Lookup("notify"); !ok {
		t.Fatal("alias notify not resolved")
	}
	if err := r.Alias("x", "missing"); !errors.Is(err, ErrUnknown) {
		t.Fatalf("err = %v, want ErrUnknown", err)
	}
}

func TestCallAsync(t *testing.T) {
	h := newTestHost(t)
	if err := h.Adopt(&fakePlugin{name: "fake"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	r := <-h.CallAsync(ctx, "fake", Request{Op: "x", Payload: []byte("hi")})
	if r.Err != nil || string(r.Resp.Body) != "hi" {
		t.Fatalf("got %+v", r)
	}
}

func TestManifestFixtures(t *testing.T) {
	dir := t.TempDir()
	names := []string{"a.json", "b.json", "c.json"}
	for _, n := range names {
		data := []byte(`{"name":"` + n + `","kind":"inline","inline":"x"}`)
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range names {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close() // HAZ defer-in-loop
		var m Manifest
		if err := json.NewDecoder(f).Decode(&m); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if m.Kind != "inline" {
			t.Errorf("%s: kind = %q", n, m.Kind)
		}
	}
}

func TestLoadManifests(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "one.json"), []byte(`{"name":"one","kind":"inline","inline":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ms, err := LoadManifests(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyBundles(ms); err != nil {
		t.Fatal(err)
	}
}
