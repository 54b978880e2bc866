package auction

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func newTestAuction(id string) *Auction {
	return New(Lot{ID: id, Title: "lamp", Opening: 1000, Increment: 100}, 1500, time.Now().Add(time.Hour))
}

func TestPlaceBidEnforcesIncrement(t *testing.T) {
	cases := []struct {
		name    string
		amounts []int64
		wantErr error
	}{
		{"opening", []int64{1000}, nil},
		{"below opening", []int64{900}, ErrTooLow},
		{"increment", []int64{1000, 1100}, nil},
		{"short increment", []int64{1000, 1050}, ErrTooLow},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAuction("L1")
			var err error
			for i, amt := range tc.amounts {
				_, _, err = a.PlaceBid(Bid{Bidder: fmt.Sprintf("b%d", i), Amount: amt, At: time.Now()})
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestConcurrentBidsKeepOrder(t *testing.T) {
	a := newTestAuction("L2")
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_ = a.Bid(Bid{Bidder: fmt.Sprintf("b%d", i), Amount: 1000 + int64(i)*100, At: time.Now()})
		}(i)
	}
	wg.Wait()
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := 1; i < len(a.bids); i++ {
		if a.bids[i].Amount <= a.bids[i-1].Amount {
			t.Fatalf("bids out of order at %d: %v", i, a.bids)
		}
	}
}

func TestSetReserveReleasesLock(t *testing.T) {
	reg := NewRegistry()
	if err := reg.Add(newTestAuction("R")); err != nil {
		t.Fatal(err)
	}
	if err := reg.SetReserve("R", 5000); err != nil {
		t.Fatal(err)
	}
	a, err := reg.Get("R")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan Status, 1)
	go func() { done <- a.Status() }()
	select {
	case s := <-done:
		if s != StatusOpen {
			t.Fatalf("status = %v", s)
		}
	case <-time.After(time.Second):
		t.Fatal("lot lock still held after SetReserve")
	}
}

func TestClockClosesLot(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a := New(Lot{ID: "C", Opening: 100}, 0, time.Now().Add(20*time.Millisecond))
	closed := make(chan Result, 1)
	hooked := make(chan struct{})
	go NewClock(a, closed).WithOnClose(func(Result) { close(hooked) }).Run(ctx)
	select {
	case res := <-closed:
		if res.LotID != "C" {
			t.Fatalf("closed %q", res.LotID)
		}
		<-hooked
	case <-ctx.Done():
		t.Fatal("clock did not close the lot")
	}
}
