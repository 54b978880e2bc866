package progress

import (
	"context"
	"testing"
	"time"
)

func TestMergeClosesWhenSourcesDrain(t *testing.T) {
	a := make(chan Event, 2)
	b := make(chan Event, 2)
	a <- Event{Key: "a", Bytes: 1}
	b <- Event{Key: "b", Bytes: 2}
	close(a)
	close(b)
	var total int64
	for e := range Merge(context.Background(), a, b) {
		total += e.Bytes
	}
	if total != 3 {
		t.Fatalf("total = %d, want 3", total)
	}
}

func TestConsumeFinishesOnClose(t *testing.T) {
	tr := NewTracker(10)
	ch := make(chan Event, 3)
	ch <- Event{Key: "k", Bytes: 4}
	ch <- Event{Key: "k", Bytes: 6}
	close(ch)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := tr.Consume(ctx, ch); err != nil {
		t.Fatal(err)
	}
	s := tr.Snapshot()
	if !s.Finished || s.Percent() != 100 || s.Keys != 1 {
		t.Fatalf("snapshot = %+v", s)
	}
}

func TestSendNeverBlocks(t *testing.T) {
	ch := make(chan Event)
	if Send(ch, Event{}) {
		t.Fatal("Send delivered without a receiver")
	}
	if Send(nil, Event{}) {
		t.Fatal("Send delivered to a nil channel")
	}
}

func TestFormatBytes(t *testing.T) {
	cases := map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 5 << 20: "5.0 MiB"}
	for in, want := range cases {
		if got := FormatBytes(in); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", in, got, want)
		}
	}
}
