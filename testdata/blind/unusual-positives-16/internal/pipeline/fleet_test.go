package pipeline

import (
	"errors"
	"sync/atomic"
	"testing"
)

func TestSplit(t *testing.T) {
	jobs := make([]Job, 7)
	shards := split(jobs, 3)
	if len(shards) != 3 || len(shards[0]) != 3 || len(shards[2]) != 1 {
		t.Fatalf("split = %d shards", len(shards))
	}
}

func TestFleetWorkers(t *testing.T) {
	var handled atomic.Int32
	f := NewFleet(func(j Job) error {
		handled.Add(1)
		if j.Key == "bad" {
			return errors.New("bad job")
		}
		return nil
	}, 8)
	f.Start(2)
	for _, k := range []string{"a", "bad", "c"} {
		f.Submit(Job{Key: k})
	}
	errs := f.Close()
	if handled.Load() != 3 || len(errs) != 1 {
		t.Fatalf("handled %d jobs, %d errors", handled.Load(), len(errs))
	}
}

func TestRunEach(t *testing.T) {
	f := NewFleet(func(j Job) error { return nil }, 1)
	for _, err := range f.RunEach([]Job{{Key: "x"}, {Key: "y"}}) {
		if err != nil {
			t.Fatal(err)
		}
	}
}
