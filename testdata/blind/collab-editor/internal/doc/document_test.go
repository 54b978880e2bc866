package doc

import (
	"context"
	"testing"
	"time"

	"example.com/collab/internal/ot"
)

func TestSubmitTransformsConcurrentEdits(t *testing.T) {
	d := New("d1", "t", "abc", 8)
	if _, err := d.Submit(ot.Op{Kind: ot.Insert, Pos: 0, Text: "X", Base: 0, Client: "a"}); err != nil {
		t.Fatal(err)
	}
	// b did not see a's insert.
	if _, err := d.Submit(ot.Op{Kind: ot.Insert, Pos: 3, Text: "Y", Base: 0, Client: "b"}); err != nil {
		t.Fatal(err)
	}
	if got, want := d.Text(), "XabcY"; got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
	if v := d.Version(); v != 2 {
		t.Fatalf("Version = %d", v)
	}
}

func TestMergerSubmit(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out := make(chan Change, 4)
	m := NewMerger(New("d1", "t", "", 8), out, 4)
	go m.Run(ctx)
	defer m.Stop()

	ch, err := m.Submit(ctx, ot.Op{Kind: ot.Insert, Text: "hi", Client: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Version != 1 {
		t.Fatalf("Version = %d", ch.Version)
	}
	select {
	case got := <-out:
		if got.Version != 1 {
			t.Fatalf("published version %d", got.Version)
		}
	case <-ctx.Done():
		t.Fatal("change was not published")
	}
}

func TestMergeFeeds(t *testing.T) {
	a, b := make(chan Change), make(chan Change)
	out := make(chan Change)
	go MergeFeeds(out, a, b)
	go func() {
		defer close(a)
		a <- Change{DocID: "a"}
	}()
	go func() {
		defer close(b)
		b <- Change{DocID: "b"}
	}()
	n := 0
	for range out {
		n++
	}
	if n != 2 {
		t.Fatalf("got %d changes, want 2", n)
	}
}
