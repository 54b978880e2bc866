package geo

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestUpsertMovesBetweenCells(t *testing.T) {
	g := NewGrid(0.01, 4)
	now := time.Now()
	g.Upsert(DriverPos{DriverID: "d1", Pos: Point{52.5200, 13.4050}, Updated: now, Available: true})
	g.Upsert(DriverPos{DriverID: "d1", Pos: Point{52.5400, 13.4300}, Updated: now, Available: true})

	got, ok := g.Lookup("d1")
	if !ok {
		t.Fatal("d1 not found after move")
	}
	if got.Pos.Lat != 52.54 {
		t.Fatalf("lat = %v, want 52.54", got.Pos.Lat)
	}
	if n := len(g.Snapshot()); n != 1 {
		t.Fatalf("snapshot has %d drivers, want 1 (old cell not cleaned)", n)
	}
}

func TestNearbySortedByDistance(t *testing.T) {
	g := NewGrid(0.01, 8)
	center := Point{48.8566, 2.3522}
	for i := range 5 {
		g.Upsert(DriverPos{
			DriverID:  fmt.Sprintf("d%d", i),
			Pos:       Point{center.Lat + float64(5-i)*0.001, center.Lng},
			Updated:   time.Now(),
			Available: true,
		})
	}
	got := g.Nearby(center, 1, 3)
	if len(got) != 3 {
		t.Fatalf("got %d drivers, want 3", len(got))
	}
	for i := 1; i < len(got); i++ {
		if Haversine(center, got[i-1].Pos) > Haversine(center, got[i].Pos) {
			t.Fatalf("result not sorted at %d", i)
		}
	}
}

func TestRemoveAndReserve(t *testing.T) {
	g := NewGrid(0.01, 2)
	g.Upsert(DriverPos{DriverID: "d1", Pos: Point{1, 1}, Updated: time.Now(), Available: true})
	if err := g.Reserve("d1"); err != nil {
		t.Fatalf("Reserve: %v", err)
	}
	if d, _ := g.Lookup("d1"); d.Available {
		t.Fatal("reserved driver still available")
	}
	if !g.Remove("d1") {
		t.Fatal("Remove returned false")
	}
	if g.Remove("d1") {
		t.Fatal("second Remove returned true")
	}
}

func TestUpdatedSinceClosesChannel(t *testing.T) {
	g := NewGrid(0.01, 4)
	before := time.Now().Add(-time.Minute)
	for i := range 10 {
		g.Upsert(DriverPos{DriverID: fmt.Sprintf("d%d", i), Pos: Point{float64(i) * 0.05, 0}, Updated: time.Now()})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	n := 0
	for range g.UpdatedSince(ctx, before) {
		n++
	}
	if n != 10 {
		t.Fatalf("streamed %d drivers, want 10", n)
	}
}
