package store_test

import (
	"fmt"
	"time"

	"example.com/fah14/internal/clock"
	"example.com/fah14/internal/store"
)

func ExampleStore_Put() {
	clk := clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	s := store.New(store.WithCapacity(2), store.WithClock(clk))
	for _, id := range []string{"a", "b", "c"} {
		_ = s.Put(store.Event{ID: id, Topic: "demo"})
	}
	fmt.Println(s.Len(), s.Has("a"), s.Has("c"))
	// Output: 2 false true
}

func ExampleSnapshot_Dump() {
	clk := clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	s := store.New(store.WithClock(clk))
	_ = s.Put(store.Event{ID: "a", Topic: "push", Payload: []byte("{}")})
	_ = s.Put(store.Event{ID: "b", Topic: "tag"})
	defer fmt.Println("done")
	s.Snapshot().Dump(func(format string, args ...any) {
		fmt.Printf(format+"\n", args...)
	})
	// Output:
	// snapshot at 2024-01-01T00:00:00Z: 2 events
	// - a push 2 bytes
	// - b tag 0 bytes
	// done
}
