package index

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
)

type prefixMatcher string

func (p prefixMatcher) Match(name string) bool {
	if name == "" {
		panic("empty name")
	}
	return strings.HasPrefix(name, string(p))
}

func TestSearchIsSortedAndReentrant(t *testing.T) {
	ix := New(slog.New(slog.DiscardHandler), nil)
	ix.Add(Entry{Name: "lib-b"}, Entry{Name: "lib-a"}, Entry{Name: "app"})
	var got []string
	for e := range ix.Search("lib") {
		got = append(got, e.Name)
		ix.Add(Entry{Name: e.Name + "-copy"})
	}
	if !slices.Equal(got, []string{"lib-a", "lib-b"}) {
		t.Fatalf("Search = %q", got)
	}
}

func TestMatchReportsPanic(t *testing.T) {
	ix := New(slog.New(slog.DiscardHandler), map[string]Matcher{"prefix": prefixMatcher("lib")})
	if _, err := ix.Match("prefix", ""); err == nil {
		t.Fatal("expected an error from a panicking matcher")
	}
	if ok, err := ix.Match("prefix", "lib-x"); err != nil || !ok {
		t.Fatalf("Match = %v, %v", ok, err)
	}
}
