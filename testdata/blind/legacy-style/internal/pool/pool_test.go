package pool

import (
	"errors"
	"sort"
	"testing"
	"time"
)

func double(j Job) ([]byte, error) {
	return append(j.Payload, j.Payload...), nil
}

func TestPoolRunsJobs(t *testing.T) {
	p := NewPool(3, 10, double)
	p.Start()
	t.Cleanup(p.Stop)
	for i := 0; i < 5; i++ {
		if err := p.Submit(Job{ID: i, Payload: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	got := 0
	for got < 5 {
		select {
		case r := <-p.Results():
			if string(r.Output) != "xx" {
				t.Fatalf("job %d output %q", r.JobID, r.Output)
			}
			got++
		case <-time.After(2 * time.Second):
			t.Fatalf("only %d results", got)
		}
	}
}

func TestRunAllSafeKeepsErrors(t *testing.T) {
	h := func(j Job) ([]byte, error) {
		if j.ID == 2 {
			return nil, errors.New("boom")
		}
		return nil, nil
	}
	res := RunAllSafe([]Job{{ID: 1}, {ID: 2}, {ID: 3}}, h)
	if len(res) != 3 {
		t.Fatalf("got %d results", len(res))
	}
}

func TestMapWaitClosesAfterSenders(t *testing.T) {
	out := make(chan Result, 4)
	MapWait([]Job{{ID: 1}, {ID: 2}}, double, out)
	var ids []int
	for r := range out {
		ids = append(ids, r.JobID)
	}
	sort.Ints(ids)
	if len(ids) != 2 || ids[0] != 1 {
		t.Fatalf("ids = %v", ids)
	}
}

func TestRunWithDeadlineTimesOut(t *testing.T) {
	slow := func(Job) ([]byte, error) {
		time.Sleep(50 * time.Millisecond)
		return nil, nil
	}
	if _, err := RunWithDeadline(Job{}, slow, time.Millisecond); err != ErrTimeout {
		t.Fatalf("err = %v", err)
	}
}

func TestQueueFIFO(t *testing.T) {
	q := NewQueue(2)
	if err := q.Put(1); err != nil {
		t.Fatal(err)
	}
	if err := q.Put(2); err != nil {
		t.Fatal(err)
	}
	v, ok := q.Get()
	if !ok || v.(int) != 1 {
		t.Fatalf("Get = %v, %v", v, ok)
	}
	q.Close()
	if err := q.Put(3); err != ErrClosed {
		t.Fatalf("Put after Close = %v", err)
	}
}

func TestForEachLimited(t *testing.T) {
	sem := NewSemaphore(2)
	if !sem.TryAcquire(time.Millisecond) {
		t.Fatal("TryAcquire failed on an empty semaphore")
	}
	sem.Release()
	err := ForEachLimited([]string{"a", "b", "c"}, 2, func(s string) error {
		if s == "b" {
			return errors.New("b failed")
		}
		return nil
	})
	if err == nil {
		t.Fatal("expected the error of b")
	}
}
