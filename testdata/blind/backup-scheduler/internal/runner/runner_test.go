package runner

import (
	"context"
	"errors"
	"io"
	"log"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"example.com/backupsched/internal/metrics"
)

func newTestRunner(limit int) *Runner {
	return New(limit, metrics.NewRegistry(), log.New(io.Discard, "", 0), "")
}

func TestRunJobRecoversPanic(t *testing.T) {
	r := newTestRunner(1)
	err := r.RunJob(context.Background(), Job{Name: "boom", Target: "t", Run: func(context.Context) error {
		panic("disk on fire")
	}})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v", err)
	}
	st := r.Status()
	if len(st) != 1 || st[0].Failures != 1 || st[0].Running {
		t.Fatalf("status = %+v", st)
	}
}

func TestRunAllRespectsLimit(t *testing.T) {
	r := newTestRunner(2)
	var active, peak atomic.Int32
	job := func(name string) Job {
		return Job{Name: name, Target: name, Run: func(context.Context) error {
			n := active.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(10 * time.Millisecond)
			active.Add(-1)
			return nil
		}}
	}
	jobs := []Job{job("a"), job("b"), job("c"), job("d"), job("e")}
	if err := r.RunAll(context.Background(), jobs); err != nil {
		t.Fatal(err)
	}
	if peak.Load() > 2 {
		t.Fatalf("peak concurrency %d, limit 2", peak.Load())
	}
}

func TestTryRunBusyTarget(t *testing.T) {
	r := newTestRunner(2)
	unlock := r.LockTarget("db")
	ran, err := r.TryRun(context.Background(), Job{Name: "db", Target: "db", Run: func(context.Context) error {
		return errors.New("must not run")
	}})
	unlock()
	if ran || err != nil {
		t.Fatalf("TryRun on a locked target: ran=%v err=%v", ran, err)
	}
}

func TestLimiterTryAcquire(t *testing.T) {
	l := NewLimiter(1)
	if !l.TryAcquire() {
		t.Fatal("first TryAcquire failed")
	}
	if l.TryAcquire() {
		t.Fatal("second TryAcquire succeeded")
	}
	l.Release()
	if err := l.Do(func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}
