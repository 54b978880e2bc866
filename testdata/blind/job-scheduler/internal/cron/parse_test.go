package cron

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		expr    string
		wantErr bool
	}{
		{"* * * * *", false},
		{"*/15 9-17 * * mon-fri", false},
		{"0 0 1 jan *", false},
		{"@hourly", false},
		{"@Daily", false},
		{"61 * * * *", true},
		{"* * * *", true},
		{"5-1 * * * *", true},
		{"*/0 * * * *", true},
		{"1,,2 * * * *", true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := Parse(tt.expr)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Parse(%q) error = %v, wantErr %v", tt.expr, err, tt.wantErr)
			}
		})
	}
}

func TestNext(t *testing.T) {
	base := time.Date(2025, 3, 14, 10, 7, 30, 0, time.UTC)
	tests := []struct {
		expr string
		want time.Time
	}{
		{"* * * * *", time.Date(2025, 3, 14, 10, 8, 0, 0, time.UTC)},
		{"*/15 * * * *", time.Date(2025, 3, 14, 10, 15, 0, 0, time.UTC)},
		{"0 9 * * mon", time.Date(2025, 3, 17, 9, 0, 0, 0, time.UTC)},
		{"@monthly", time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)},
		{"0 0 29 2 *", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got := MustParse(tt.expr).Next(base)
		if !got.Equal(tt.want) {
			t.Errorf("%q.Next(%s) = %s, want %s", tt.expr, base, got, tt.want)
		}
	}
}

func TestNextNever(t *testing.T) {
	if got := MustParse("0 0 30 2 *").Next(time.Now()); !got.IsZero() {
		t.Fatalf("Feb 30 fired at %s", got)
	}
}

func TestTimesStopsEarly(t *testing.T) {
	s := MustParse("0 * * * *")
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var got []time.Time
	for tm := range s.Times(from) {
		got = append(got, tm)
		if len(got) == 3 {
			break
		}
	}
	if len(got) != 3 || got[2].Hour() != 3 {
		t.Fatalf("got %v", got)
	}
	if n := s.Between(from, from.Add(24*time.Hour)); n != 24 {
		t.Fatalf("Between = %d, want 24", n)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.cron": "# backups\n@daily backup /usr/local/bin/backup --full\n",
		"b.cron": "*/5 * * * * probe curl -fsS http://localhost/healthz\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Name != "backup" || !strings.HasPrefix(entries[1].Command, "curl") {
		t.Fatalf("entries = %+v", entries)
	}
}
