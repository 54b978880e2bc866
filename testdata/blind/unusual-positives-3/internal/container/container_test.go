package container

import (
	"errors"
	"strconv"
	"testing"
	"time"
)

func TestLockerUpdate(t *testing.T) {
	l := NewLocker([]string{"a"})
	l.Update(func(s *[]string) { *s = append(*s, "b") })
	if got := len(l.Get()); got != 2 {
		t.Fatalf("len = %d, want 2", got)
	}
}

func TestCacheLoadsOnce(t *testing.T) {
	calls := 0
	c := NewCache(time.Minute, func(k string) (int, error) {
		calls++
		return strconv.Atoi(k)
	})
	for i := 0; i < 3; i++ {
		if v, err := c.Get("42"); err != nil || v != 42 {
			t.Fatalf("Get = %d, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("loader called %d times", calls)
	}
}

func TestQueuePushAllClosed(t *testing.T) {
	q := NewQueue[int]()
	q.Close()
	if _, err := q.PushAll([]int{1, 2}); !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v, want ErrClosed", err)
	}
}

func TestParallelMap(t *testing.T) {
	cases := []struct {
		name string
		in   []int
	}{
		{"empty", nil},
		{"three", []int{1, 2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := ParallelMap(tc.in, func(v int) int { return v * 2 })
			for i := range tc.in {
				if got[i] != tc.in[i]*2 {
					t.Errorf("got[%d] = %d", i, got[i])
				}
			}
		})
	}
}
