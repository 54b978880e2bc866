package matrix

import "testing"

func TestExpand(t *testing.T) {
	got := Expand(map[string][]string{"go": {"1.21", "1.22"}, "os": {"linux", "darwin"}})
	if len(got) != 4 {
		t.Fatalf("got %d combos, want 4", len(got))
	}
	if s := got[0].String(); s != "go=1.21,os=linux" {
		t.Fatalf("first combo = %s", s)
	}
}
