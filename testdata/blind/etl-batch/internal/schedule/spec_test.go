package schedule

import (
	"context"
	"testing"
	"time"
)

func TestParseAndNext(t *testing.T) {
	base := time.Date(2024, 3, 1, 10, 17, 42, 0, time.UTC)
	cases := []struct {
		expr string
		want time.Time
	}{
		{"@hourly", time.Date(2024, 3, 1, 11, 0, 0, 0, time.UTC)},
		{"@daily", time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)},
		{"30 *", time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC)},
		{"@every 15m", time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			s, err := Parse(c.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Next(base); !got.Equal(c.want) {
				t.Fatalf("Next = %s, want %s", got, c.want)
			}
		})
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	for _, expr := range []string{"", "61 *", "* 24", "@every 1ms", "a b c"} {
		if _, err := Parse(expr); err == nil {
			t.Errorf("Parse(%q) succeeded", expr)
		}
	}
}

func TestAddRejectsDuplicates(t *testing.T) {
	s := New(t.Logf)
	spec, err := Parse("@hourly")
	if err != nil {
		t.Fatal(err)
	}
	j := Job{Name: "nightly", Spec: spec, Run: func(context.Context) error { return nil }}
	if err := s.Add(j); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(j); err == nil {
		t.Fatal("second Add of the same job succeeded")
	}
}
