package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWriteCSVTo(t *testing.T) {
	rows := []Row{{Key: "b", Size: 2}, {Key: "a", Size: 1, Updated: time.Unix(0, 0)}}
	SortRows(rows)
	var buf bytes.Buffer
	if err := WriteCSVTo(&buf, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "a,1,") {
		t.Fatalf("csv = %q", buf.String())
	}
}

func TestTotalSize(t *testing.T) {
	if n := TotalSize([]Row{{Size: 2}, {Size: 5}}); n != 7 {
		t.Fatalf("TotalSize = %d", n)
	}
}
