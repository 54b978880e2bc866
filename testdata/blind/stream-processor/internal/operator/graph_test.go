package operator

import (
	"context"
	"strings"
	"testing"
	"time"

	"example.com/streamproc/internal/record"
)

func TestPipelineStopsInOrder(t *testing.T) {
	var got []string
	g := NewGraph(4).
		Then("upper", Map(func(r record.Record) record.Record {
			r.Key = strings.ToUpper(r.Key)
			return r
		})).
		Then("drop-empty", Filter(func(r record.Record) bool { return r.Key != "" })).
		Then("collect", Map(func(r record.Record) record.Record {
			got = append(got, r.Key)
			return r
		}))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p := Start(ctx, g, 8)
	for _, k := range []string{"a", "", "b"} {
		if !p.Offer(record.Record{Key: k}) {
			t.Fatalf("offer %q: buffer full", k)
		}
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "A,B" {
		t.Fatalf("got %v", got)
	}
}

func TestMergeClosesAfterInputs(t *testing.T) {
	a := make(chan record.Record, 1)
	b := make(chan record.Record, 1)
	a <- record.Record{Key: "a"}
	b <- record.Record{Key: "b"}
	close(a)
	close(b)
	n := 0
	for range Merge(context.Background(), a, b) {
		n++
	}
	if n != 2 {
		t.Fatalf("merged %d records, want 2", n)
	}
}
