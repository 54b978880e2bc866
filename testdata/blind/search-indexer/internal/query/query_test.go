package query

import (
	"context"
	"log"
	"os"
	"testing"

	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/textproc"
	"example.com/searchindexer/internal/trace"
)

func TestParseOperators(t *testing.T) {
	a := textproc.NewAnalyzer(textproc.WithStemming(false))
	q, err := Parse(`+segment -gzip merge "atomic rename"`, a, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Must) != 1 || len(q.MustNot) != 1 || len(q.Should) != 3 || q.Limit != 10 {
		t.Fatalf("Parse = %+v", q)
	}
}

func TestParseEmpty(t *testing.T) {
	if _, err := Parse("the of", textproc.NewAnalyzer(), 5); err != ErrEmptyQuery {
		t.Fatalf("err = %v, want ErrEmptyQuery", err)
	}
}

func TestTopK(t *testing.T) {
	hits := []Hit{{Doc: 1, Score: 1}, {Doc: 2, Score: 3}, {Doc: 3, Score: 2}}
	got := TopK(hits, 2)
	if len(got) != 2 || got[0].Doc != 2 || got[1].Doc != 3 {
		t.Fatalf("TopK = %+v", got)
	}
}

func TestSearchAllMemtableOnly(t *testing.T) {
	a := textproc.NewAnalyzer(textproc.WithStemming(false))
	mem := index.NewMemIndex(a)
	mem.AddAll([]index.Document{{ID: 1, Text: "segment merge"}, {ID: 2, Text: "warmup cache"}})
	e := NewEngine(mem, nil, trace.NewRecorder(), log.New(os.Stderr, "", 0), 16)
	q, err := Parse("merge", a, 5)
	if err != nil {
		t.Fatal(err)
	}
	hits, err := e.SearchAll(context.Background(), q)
	if err != nil || len(hits) != 1 || hits[0].Doc != 1 {
		t.Fatalf("SearchAll = %+v, %v", hits, err)
	}
}
