package pipeline

import (
	"context"
	"errors"
	"io"
	"log"
	"testing"
	"time"

	"example.com/consumer/broker"
)

func TestPipelineRunsStages(t *testing.T) {
	in := make(chan broker.Message, 3)
	in <- broker.Message{Value: []byte(`{"n":1}`)}
	in <- broker.Message{Value: []byte(`not json`)}
	in <- broker.Message{Value: []byte(`{"n":2}`)}
	close(in)

	p := New(log.New(io.Discard, "", 0)).
		Add("decode", 2, DecodeJSON()).
		Add("drop-errors", 1, Filter(func(it Item) bool { return it.Err == nil }))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n := 0
	for range p.Run(ctx, in) {
		n++
	}
	if n != 2 {
		t.Fatalf("got %d items, want 2", n)
	}
}

type fakeSink struct {
	name string
	err  error
}

func (s fakeSink) Name() string                        { return s.name }
func (s fakeSink) Deliver(context.Context, Item) error { return s.err }

func TestDeliverAllJoinsErrors(t *testing.T) {
	sinks := []Sink{fakeSink{"db", nil}, fakeSink{"index", errors.New("full")}}
	err := DeliverAll(context.Background(), Item{}, sinks)
	if err == nil {
		t.Fatal("DeliverAll succeeded with a failing sink")
	}
}

func TestBatcherFlushesOnSize(t *testing.T) {
	in := make(chan Item, 5)
	for i := 0; i < 5; i++ {
		in <- Item{}
	}
	close(in)
	var sizes []int
	err := Batcher{Size: 2, Linger: time.Hour}.Run(context.Background(), in, func(b []Item) error {
		sizes = append(sizes, len(b))
		return nil
	})
	if err != nil || len(sizes) != 3 || sizes[2] != 1 {
		t.Fatalf("batches = %v, %v; want [2 2 1]", sizes, err)
	}
}

func TestEnricherCaches(t *testing.T) {
	calls := 0
	e := NewEnricher(2, func(id string) (Profile, error) {
		calls++
		return Profile{ID: id}, nil
	})
	for i := 0; i < 3; i++ {
		if _, err := e.Lookup("u1"); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 || e.Len() != 1 {
		t.Fatalf("fetch called %d times, cache has %d", calls, e.Len())
	}
}
