package clock

import (
	"testing"
	"time"
)

var epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func TestFakeAdvanceFiresDueWaiters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		waits   []time.Duration
		advance time.Duration
		fired   int
	}{
		{"nothing due", []time.Duration{time.Minute}, time.Second, 0},
		{"exactly due", []time.Duration{time.Second}, time.Second, 1},
		{"some due", []time.Duration{time.Second, time.Hour, 2 * time.Second}, 5 * time.Second, 2},
		{"all due", []time.Duration{time.Millisecond, time.Second}, time.Minute, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := NewFake(epoch)
			chans := make([]<-chan time.Time, 0, len(tc.waits))
			for _, d := range tc.waits {
				chans = append(chans, f.After(d))
			}
			f.Advance(tc.advance)
			fired := 0
			for _, ch := range chans {
				select {
				case <-ch:
					fired++
				default:
				}
			}
			if fired != tc.fired {
				t.Errorf("fired = %d, want %d", fired, tc.fired)
			}
			if got, want := f.Pending(), len(tc.waits)-tc.fired; got != want {
				t.Errorf("Pending() = %d, want %d", got, want)
			}
		})
	}
}

func TestFakeAfterNonPositiveFiresImmediately(t *testing.T) {
	f := NewFake(epoch)
	for _, d := range []time.Duration{0, -time.Second} {
		select {
		case got := <-f.After(d):
			if !got.Equal(epoch) {
				t.Errorf("After(%v) delivered %v, want %v", d, got, epoch)
			}
		default:
			t.Errorf("After(%v) did not fire immediately", d)
		}
	}
}

func TestFakeSleepWakesOnAdvance(t *testing.T) {
	f := NewFake(epoch)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Sleep(time.Minute)
	}()
	f.BlockUntil(1)
	f.Advance(time.Minute)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Sleep did not return after Advance")
	}
}

func TestFakeNowMovesOnlyOnAdvance(t *testing.T) {
	f := NewFake(epoch)
	if !f.Now().Equal(epoch) {
		t.Fatalf("Now() = %v, want %v", f.Now(), epoch)
	}
	time.Sleep(2 * time.Millisecond)
	if !f.Now().Equal(epoch) {
		t.Fatalf("Now() moved without Advance")
	}
	f.Advance(90 * time.Second)
	if got, want := f.Now(), epoch.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("Now() = %v, want %v", got, want)
	}
}

func TestNewFakeZeroStart(t *testing.T) {
	f := NewFake(time.Time{})
	if f.Now().IsZero() {
		t.Fatal("NewFake(zero) left the clock at the zero time")
	}
}

func TestRealClockIsMonotonic(t *testing.T) {
	var c Clock = Real{}
	a := c.Now()
	c.Sleep(time.Millisecond)
	if b := c.Now(); !b.After(a) {
		t.Fatalf("Real clock did not advance: %v then %v", a, b)
	}
}

func BenchmarkFakeAdvance(b *testing.B) {
	f := NewFake(epoch)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f.After(time.Second)
		f.Advance(time.Second)
	}
}
