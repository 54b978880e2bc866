package scheduler

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		spec string
		ok   bool
	}{
		{"@hourly", true},
		{"@daily", true},
		{"@every 15m", true},
		{"@every 10s", false},
		{"daily 02:30", true},
		{"daily 25:00", false},
		{"weekly sun 03:00", true},
		{"weekly someday 03:00", false},
		{"*/5 * * * *", false},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := Parse(tt.spec)
			if (err == nil) != tt.ok {
				t.Fatalf("Parse(%q) error = %v, want ok=%v", tt.spec, err, tt.ok)
			}
		})
	}
}

func TestDailyNextRollsOver(t *testing.T) {
	s, err := Parse("daily 02:30")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 3, 10, 3, 0, 0, 0, time.UTC)
	want := time.Date(2024, 3, 11, 2, 30, 0, 0, time.UTC)
	if got := s.Next(now); !got.Equal(want) {
		t.Fatalf("Next(%s) = %s, want %s", now, got, want)
	}
}
