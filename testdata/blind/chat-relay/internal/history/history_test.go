package history

import (
	"strings"
	"testing"
	"time"
)

func TestAppendBatchThenTail(t *testing.T) {
	s, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AppendBatch("#go", []string{"one", "two", "three"}); err != nil {
		t.Fatalf("AppendBatch: %v", err)
	}
	got, err := s.Tail("#go", 2)
	if err != nil {
		t.Fatalf("Tail: %v", err)
	}
	if len(got) != 2 || !strings.HasSuffix(got[0], " two") || !strings.HasSuffix(got[1], " three") {
		t.Fatalf("Tail = %q", got)
	}
}

func TestParseEntry(t *testing.T) {
	e, ok := ParseEntry("2024-03-01T10:00:00Z MSG #go ada hi")
	if !ok || !e.At.Equal(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)) || e.Text != "MSG #go ada hi" {
		t.Fatalf("ParseEntry = %+v, %v", e, ok)
	}
	if _, ok := ParseEntry("short"); ok {
		t.Fatal("short line parsed")
	}
}
