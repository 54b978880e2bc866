package textproc

import (
	"reflect"
	"testing"
)

func TestAnalyzeDropsStopwords(t *testing.T) {
	a := NewAnalyzer(WithStemming(false))
	got := a.Analyze("The quick brown fox is at the door")
	var terms []string
	for _, tok := range got {
		terms = append(terms, tok.Term)
	}
	want := []string{"quick", "brown", "fox", "door"}
	if !reflect.DeepEqual(terms, want) {
		t.Fatalf("Analyze = %v, want %v", terms, want)
	}
}

func TestStem(t *testing.T) {
	cases := map[string]string{
		"indexing":    "index",
		"segments":    "segment",
		"queries":     "query",
		"class":       "class",
		"sensational": "sensate",
		"go":          "go",
	}
	for in, want := range cases {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTermsSortedUnique(t *testing.T) {
	a := NewAnalyzer()
	got := a.Terms("merge merges merged merging merge")
	for i := 1; i < len(got); i++ {
		if got[i-1] >= got[i] {
			t.Fatalf("Terms not sorted and unique: %v", got)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	a := NewAnalyzer()
	text := "Immutable segments are merged in the background while readers keep querying older snapshots."
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a.Analyze(text)
	}
}
