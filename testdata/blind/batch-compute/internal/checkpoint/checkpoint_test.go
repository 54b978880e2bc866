package checkpoint

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	s, err := Open(t.TempDir(), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := &Checkpoint{Job: "heat", Step: 3, State: []float64{1, 2, 3}}
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Latest("heat")
	if err != nil || !ok {
		t.Fatalf("Latest: ok=%v err=%v", ok, err)
	}
	if got.Step != 3 || len(got.State) != 3 {
		t.Errorf("got %+v", got)
	}
}

func TestSameContents(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("state"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	same, err := SameContents(a, b)
	if err != nil {
		t.Fatalf("SameContents: %v", err)
	}
	if !same {
		t.Error("identical files reported different")
	}
}

func TestParseStep(t *testing.T) {
	cases := map[string]int{"heat.00000012.ckpt.gz": 12, "heat.00000000.ckpt.gz": 0}
	for name, want := range cases {
		if got, ok := parseStep(name, "heat"); !ok || got != want {
			t.Errorf("parseStep(%q) = %d, %v", name, got, ok)
		}
	}
	if _, ok := parseStep("wave.00000001.ckpt.gz", "heat"); ok {
		t.Error("foreign job parsed")
	}
}
