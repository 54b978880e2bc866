package index

import (
	"context"
	"errors"
	"io"
	"log"
	"path/filepath"
	"slices"
	"testing"
)

type fakeSource struct {
	mods map[string][]Entry
	fail string
}

func (s *fakeSource) Modules(ctx context.Context) ([]string, error) {
	var out []string
	for m := range s.mods {
		out = append(out, m)
	}
	return out, nil
}

func (s *fakeSource) Versions(ctx context.Context, mod string) ([]Entry, error) {
	if mod == s.fail {
		return nil, errors.New("backend unavailable")
	}
	return s.mods[mod], nil
}

func TestAddKeepsSorted(t *testing.T) {
	x := New()
	for _, v := range []string{"v1.10.0", "v1.2.0", "v1.2.0-rc.1", "v0.9.0"} {
		x.Add(Entry{Module: "example.com/a", Version: v})
	}
	want := []string{"v0.9.0", "v1.2.0-rc.1", "v1.2.0", "v1.10.0"}
	if got := x.Versions("example.com/a"); !slices.Equal(got, want) {
		t.Fatalf("Versions = %v, want %v", got, want)
	}
}

func TestLookup(t *testing.T) {
	x := New()
	x.Add(Entry{Module: "example.com/a", Version: "v1.0.0", Digest: "sha256:aa"})
	if e, ok := x.Lookup("example.com/a", "v1.0.0"); !ok || e.Digest != "sha256:aa" {
		t.Fatalf("Lookup = %+v, %v", e, ok)
	}
	if _, ok := x.Lookup("example.com/a", "v2.0.0"); ok {
		t.Fatal("Lookup found a version that was never added")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.jsonl")
	x := New()
	x.Add(Entry{Module: "example.com/a", Version: "v1.0.0", Digest: "sha256:aa", Size: 10})
	x.Add(Entry{Module: "example.com/b", Version: "v0.1.0", Digest: "sha256:bb", Size: 20})
	if err := x.SaveTo(path); err != nil {
		t.Fatal(err)
	}
	y, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := y.Modules(); !slices.Equal(got, []string{"example.com/a", "example.com/b"}) {
		t.Fatalf("Modules = %v", got)
	}
}

func TestRebuildCollectsAll(t *testing.T) {
	src := &fakeSource{mods: map[string][]Entry{
		"example.com/a": {{Module: "example.com/a", Version: "v1.0.0"}},
		"example.com/b": {{Module: "example.com/b", Version: "v1.0.0"}, {Module: "example.com/b", Version: "v1.1.0"}},
	}}
	r := NewRebuilder(src, 3, log.New(io.Discard, "", 0))
	x, err := r.Rebuild(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := x.VersionCount(); n != 3 {
		t.Fatalf("VersionCount = %d, want 3", n)
	}
}

func TestRebuildReportsSourceError(t *testing.T) {
	src := &fakeSource{
		mods: map[string][]Entry{"example.com/a": nil, "example.com/broken": nil},
		fail: "example.com/broken",
	}
	r := NewRebuilder(src, 2, log.New(io.Discard, "", 0))
	if _, err := r.Rebuild(context.Background()); err == nil {
		t.Fatal("Rebuild ignored a source error")
	}
}
