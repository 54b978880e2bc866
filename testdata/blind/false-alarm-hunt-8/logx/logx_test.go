package logx

import (
	"bytes"
	"compress/gzip"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in      string
		want    Level
		wantErr bool
	}{
		{"debug", LevelDebug, false},
		{" INFO ", LevelInfo, false},
		{"warning", LevelWarn, false},
		{"error", LevelError, false},
		{"loud", LevelInfo, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseLevel(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseLevel(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("ParseLevel(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func fixedClock() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) }

func TestLoggerFormat(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, LevelInfo)
	l.now = fixedClock
	l.With("svc", "api").Info("hello", "n", 3, "ok", true)
	l.Debug("hidden")
	want := `2024-05-01T12:00:00Z INFO "hello" svc="api" n=3 ok=true` + "\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestAsyncWriterDrainsOnClose(t *testing.T) {
	var buf bytes.Buffer
	w := NewAsyncWriter(&buf, 16)
	for i := range 10 {
		if _, err := w.Write([]byte{byte('0' + i), '\n'}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\n") + int(w.Dropped()); got != 10 {
		t.Errorf("written+dropped = %d, want 10", got)
	}
	if _, err := w.Write([]byte("late")); err != ErrClosed {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
}

func TestCompressRoundTrip(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "out.gz")
	if err := Compress(dst, strings.NewReader("line one\nline two\n")); err != nil {
		t.Fatal(err)
	}
	got := readGzip(t, dst)
	if got != "line one\nline two\n" {
		t.Errorf("round trip = %q", got)
	}
}

func readGzip(t *testing.T, path string) string {
	t.Helper()
	f, err := openRead(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
