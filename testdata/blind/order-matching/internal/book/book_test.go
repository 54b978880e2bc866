package book

import (
	"context"
	"log"
	"testing"
	"time"
)

func TestSubmitCrossesSpread(t *testing.T) {
	b := New("ACME")
	if _, err := b.Submit(&Order{ID: 1, Symbol: "ACME", Side: Sell, Price: 101, Qty: 10}); err != nil {
		t.Fatal(err)
	}
	trades, err := b.Submit(&Order{ID: 2, Symbol: "ACME", Side: Buy, Price: 102, Qty: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(trades) != 1 || trades[0].Price != 101 || trades[0].Qty != 4 {
		t.Fatalf("unexpected trades %+v", trades)
	}
	if ask, ok := b.BestAsk(); !ok || ask != 101 {
		t.Fatalf("best ask = %d, %v", ask, ok)
	}
}

func TestCancelRemovesLevel(t *testing.T) {
	b := New("ACME")
	for i, p := range []int64{99, 98, 99} {
		if _, err := b.Submit(&Order{ID: uint64(i + 1), Symbol: "ACME", Side: Buy, Price: p, Qty: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if !b.Cancel(2) {
		t.Fatal("cancel of resting order failed")
	}
	d := b.Depth(5)
	if len(d.Bids) != 1 || d.Bids[0].Qty != 2 {
		t.Fatalf("depth after cancel = %+v", d)
	}
}

func TestActorHonoursContext(t *testing.T) {
	trades := make(chan Trade, 16)
	a := NewActor("ACME", trades, log.Default())
	ctx, cancel := context.WithCancel(context.Background())
	go a.Run(ctx)
	t.Cleanup(func() {
		cancel()
		<-a.Done()
	})

	callCtx, callCancel := context.WithTimeout(ctx, time.Second)
	defer callCancel()
	if _, err := a.Submit(callCtx, &Order{ID: 7, Symbol: "ACME", Side: Buy, Price: 10, Qty: 1}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Depth(callCtx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Bids) != 1 {
		t.Fatalf("depth = %+v", d)
	}
}
