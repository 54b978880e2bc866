package progress

import (
	"testing"
	"time"
)

func TestSubscribeReceivesLastThenNew(t *testing.T) {
	tr := NewTracker()
	tr.Publish(Update{JobID: "j", Stage: "encode", Percent: 10})
	ch, cancel := tr.Subscribe("j")
	defer cancel()
	first := <-ch
	if first.Percent != 10 {
		t.Fatalf("first update %+v", first)
	}
	tr.Publish(Update{JobID: "j", Stage: "encode", Percent: 55})
	select {
	case u := <-ch:
		if u.Percent != 55 {
			t.Fatalf("second update %+v", u)
		}
	case <-time.After(time.Second):
		t.Fatal("no update delivered")
	}
}

func TestAdvanceNeverGoesBackwards(t *testing.T) {
	tr := NewTracker()
	if !tr.Advance("j", "encode", 40) {
		t.Fatal("first advance rejected")
	}
	if tr.Advance("j", "encode", 30) {
		t.Fatal("advance went backwards")
	}
	u, _ := tr.Last("j")
	if u.Percent != 40 {
		t.Fatalf("percent = %v", u.Percent)
	}
}

func TestReplayBatchKeepsNewest(t *testing.T) {
	tr := NewTracker()
	now := time.Now()
	n := tr.ReplayBatch([]Update{
		{JobID: "a", Percent: 90, At: now},
		{JobID: "a", Percent: 20, At: now.Add(-time.Minute)},
		{JobID: "b", Percent: 5, At: now},
	})
	if n != 2 {
		t.Fatalf("applied %d updates", n)
	}
	if u, _ := tr.Last("a"); u.Percent != 90 {
		t.Fatalf("a = %+v", u)
	}
}

func TestUnsubscribeTwice(t *testing.T) {
	tr := NewTracker()
	_, cancel := tr.Subscribe("x")
	cancel()
	cancel()
	if len(tr.subs) != 0 {
		t.Fatalf("subscriptions left: %d", len(tr.subs))
	}
}
