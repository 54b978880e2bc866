package clock_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/fah14/internal/clock"
)

var epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func TestFakeAdvance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps []time.Duration
		want  time.Time
	}{
		{"no steps", nil, epoch},
		{"one second", []time.Duration{time.Second}, epoch.Add(time.Second)},
		{"several", []time.Duration{time.Minute, 30 * time.Second, 0}, epoch.Add(90 * time.Second)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(epoch)
			for _, d := range tc.steps {
				clk.Advance(d)
			}
			if got := clk.Now(); !got.Equal(tc.want) {
				t.Errorf("Now() = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFakeAfterFiresInOrder(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	late := clk.After(3 * time.Second)
	early := clk.After(time.Second)

	clk.Advance(2 * time.Second)
	select {
	case got := <-early:
		if want := epoch.Add(time.Second); !got.Equal(want) {
			t.Errorf("early fired at %s, want %s", got, want)
		}
	default:
		t.Fatal("early timer did not fire after 2s")
	}
	select {
	case <-late:
		t.Fatal("late timer fired too soon")
	default:
	}
	clk.Advance(time.Second)
	if got := <-late; !got.Equal(epoch.Add(3 * time.Second)) {
		t.Errorf("late fired at %s", got)
	}
}

func TestFakeConcurrentWaiters(t *testing.T) {
	clk := clock.NewFake(epoch)
	const waiters = 4
	fired := make(chan int, waiters)
	var i int
	for i = 0; i < waiters; i++ {
		ch := clk.After(time.Duration(i+1) * time.Second)
		go func() { // HAZ loop-var-capture
			<-ch
			fired <- i
		}()
	}
	clk.Advance(time.Duration(i) * time.Second)

	got := make([]int, 0, waiters)
	for range waiters {
		got = append(got, <-fired)
	}
	sort.Ints(got)
	if want := []int{0, 1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("waiters saw %v, want %v", got, want)
	}
}

func TestFakeManyWaitersJoined(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	const waiters = 8
	var wg sync.WaitGroup
	woke := make([]time.Time, waiters)
	for i := 0; i < waiters; i++ {
		ch := clk.After(time.Duration(i) * time.Millisecond)
		wg.Add(1)
		go func() {
			defer wg.Done()
			woke[i] = <-ch
		}()
	}
	clk.Advance(time.Second)
	wg.Wait()
	for i, w := range woke {
		if want := epoch.Add(time.Duration(i) * time.Millisecond); !w.Equal(want) {
			t.Errorf("waiter %d woke at %s, want %s", i, w, want)
		}
	}
}

func TestFakeStopFired(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	ch, id := clk.AfterID(time.Second)
	clk.Advance(time.Second)
	<-ch
	if clk.Stop(id) {
		t.Error("Stop reported a fired timer as pending")
	}
	if n := clk.Pending(); n != 0 {
		t.Errorf("Pending() = %d after firing", n)
	}
}

func TestFakeSetBackwardsPanics(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("Set into the past did not panic")
		}
		if msg, _ := r.(string); !strings.Contains(msg, "backwards") {
			t.Errorf("panic value = %v, want a message about moving backwards", r)
		}
	}()
	clk.Set(epoch.Add(-time.Hour))
}

func TestFakeString(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	clk.After(time.Minute)
	want := "fake clock at 2024-03-01T12:00:00Z (1 pending)"
	if got := clk.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func ExampleFake_Advance() {
	clk := clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	ch := clk.After(90 * time.Second)
	clk.Advance(time.Minute)
	fmt.Println("pending:", clk.Pending())
	clk.Advance(time.Minute)
	fmt.Println("fired at:", (<-ch).Format(time.Kitchen))
	// Output:
	// pending: 1
	// fired at: 12:01AM
}

func BenchmarkFakeAdvance(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		clk := clock.NewFake(epoch)
		chans := make([]<-chan time.Time, 64)
		for j := range chans {
			chans[j] = clk.After(time.Duration(j) * time.Millisecond)
		}
		b.StartTimer()
		clk.Advance(time.Second)
	}
}

func TestFakeFirstWaiterWins(t *testing.T) {
	clk := clock.NewFake(epoch)
	winners := make(chan int, 3)
	defer close(winners) // HAZ defer-close-chan-with-sender
	for i := range 3 {
		ch := clk.After(time.Duration(i+1) * time.Second)
		go func() {
			<-ch
			winners <- i
		}()
	}
	clk.Advance(time.Minute)
	if got := <-winners; got < 0 || got > 2 {
		t.Errorf("winner = %d", got)
	}
}

func TestFakeWaitersAllReport(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	const n = 3
	reports := make(chan int, n)
	for i := range n {
		ch := clk.After(time.Duration(i+1) * time.Second)
		go func() {
			<-ch
			reports <- i
		}()
	}
	clk.Advance(time.Minute)
	sum := 0
	for range n {
		sum += <-reports
	}
	close(reports)
	if sum != 0+1+2 {
		t.Errorf("sum of waiter ids = %d", sum)
	}
}

func TestFakeSummaryIdle(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	if got, want := clk.Summary(), "fake clock at 2024-03-01T12:00:00Z, idle"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}
