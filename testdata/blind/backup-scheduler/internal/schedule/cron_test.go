package schedule

import (
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	for _, spec := range []string{"", "* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "5-1 * * * *"} {
		t.Run(spec, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse(spec); err == nil {
				t.Fatalf("Parse(%q) succeeded, want error", spec)
			}
		})
	}
}

func TestNext(t *testing.T) {
	base := time.Date(2024, 3, 15, 10, 7, 30, 0, time.UTC) // a Friday
	tests := []struct {
		spec string
		want time.Time
	}{
		{"*/15 * * * *", time.Date(2024, 3, 15, 10, 15, 0, 0, time.UTC)},
		{"30 2 * * *", time.Date(2024, 3, 16, 2, 30, 0, 0, time.UTC)},
		{"0 0 * * 1", time.Date(2024, 3, 18, 0, 0, 0, 0, time.UTC)},
		{"@monthly", time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)},
		{"0 0 31 2 *", time.Time{}},
	}
	for _, tc := range tests {
		s, err := Parse(tc.spec)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.spec, err)
		}
		if got := s.Next(base); !got.Equal(tc.want) {
			t.Errorf("%s: Next = %v, want %v", tc.spec, got, tc.want)
		}
	}
}
