package schedule

import (
	"context"
	"errors"
	"io"
	"log"
	"testing"
	"time"
)

func TestParseEvery(t *testing.T) {
	s, err := Parse("@every 5m")
	if err != nil || s.Every != 5*time.Minute {
		t.Fatalf("Parse = %+v, %v", s, err)
	}
}

func TestNextDaily(t *testing.T) {
	s, err := Parse("30 2")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2024, 5, 1, 3, 0, 0, 0, time.UTC)
	want := time.Date(2024, 5, 2, 2, 30, 0, 0, time.UTC)
	if got := s.Next(from); !got.Equal(want) {
		t.Fatalf("Next = %v, want %v", got, want)
	}
}

func TestRunNowRecovers(t *testing.T) {
	sch := New(log.New(io.Discard, "", 0))
	if err := sch.Add(&Job{Name: "p", Spec: Spec{Every: time.Hour}, Run: func(context.Context) error { panic("x") }}); err != nil {
		t.Fatal(err)
	}
	if err := sch.RunNow(context.Background(), "p"); err == nil {
		t.Fatal("want error from panic")
	}
}

func TestWaitIdleHonoursContext(t *testing.T) {
	sch := New(log.New(io.Discard, "", 0))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := sch.WaitIdle(ctx); err != nil && !errors.Is(err, ErrStopped) {
		t.Fatal(err)
	}
}
