package pipeline

import (
	"context"
	"errors"
	"io"
	"log"
	"sort"
	"sync"
	"testing"
	"time"
)

type sliceSource struct {
	name  string
	items []Item
}

func (s sliceSource) Name() string { return s.name }

func (s sliceSource) Items(ctx context.Context) <-chan Item {
	ch := make(chan Item)
	go func() {
		defer close(ch)
		for _, it := range s.items {
			select {
			case ch <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

type recordSink struct {
	mu   sync.Mutex
	keys []string
	fail string
}

func (r *recordSink) Name() string { return "record" }

func (r *recordSink) Deliver(_ context.Context, it Item) error {
	if it.Key == r.fail {
		return errors.New("rejected")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = append(r.keys, it.Key)
	return nil
}

func TestFanInAllClosesAfterEverySource(t *testing.T) {
	out := make(chan Item)
	srcs := []Source{
		sliceSource{"a", []Item{{Key: "a1"}, {Key: "a2"}}},
		sliceSource{"b", []Item{{Key: "b1"}}},
	}
	go FanInAll(context.Background(), srcs, out)
	var got []string
	for it := range out {
		got = append(got, it.Key)
	}
	sort.Strings(got)
	if len(got) != 3 || got[0] != "a1" || got[2] != "b1" {
		t.Fatalf("got %v", got)
	}
}

func TestRunEachCounts(t *testing.T) {
	sink := &recordSink{fail: "bad"}
	d := NewDeliverer(sink, time.Second, log.New(io.Discard, "", 0))
	in := make(chan Item, 3)
	in <- Item{Key: "ok1"}
	in <- Item{Key: "bad"}
	in <- Item{Key: "ok2"}
	close(in)
	d.RunEach(context.Background(), in)
	if ok, bad := d.Counts(); ok != 2 || bad != 1 {
		t.Fatalf("Counts = %d, %d", ok, bad)
	}
}

func TestPumpScopedStopsOnClose(t *testing.T) {
	sink := &recordSink{}
	d := NewDeliverer(sink, time.Second, log.New(io.Discard, "", 0))
	in := make(chan Item, 1)
	in <- Item{Key: "k"}
	close(in)
	if err := d.PumpScoped(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if len(sink.keys) != 1 {
		t.Fatalf("keys = %v", sink.keys)
	}
}
