package encoder

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/mediatranscoder/internal/job"
)

const sampleProgress = `frame=120
fps=59.94
out_time=00:00:02.002000
speed=1.98x
progress=continue
frame=240
fps=60.00
out_time=00:00:04.004000
speed=2.01x
progress=end
`

func TestParseProgressLastBlock(t *testing.T) {
	p, err := ParseProgress(strings.NewReader(sampleProgress))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Done || p.Frame != 240 {
		t.Fatalf("got %+v, want final block", p)
	}
	if p.OutTime != 4004*time.Millisecond {
		t.Fatalf("out_time = %s", p.OutTime)
	}
}

func TestPercentClamps(t *testing.T) {
	cases := []struct {
		p     Progress
		total time.Duration
		want  float64
	}{
		{Progress{OutTime: 5 * time.Second}, 10 * time.Second, 50},
		{Progress{OutTime: 20 * time.Second}, 10 * time.Second, 100},
		{Progress{Done: true}, 0, 100},
		{Progress{OutTime: time.Second}, 0, 0},
	}
	for _, c := range cases {
		if got := Percent(c.p, c.total); got != c.want {
			t.Errorf("Percent(%+v, %s) = %v, want %v", c.p, c.total, got, c.want)
		}
	}
}

func TestBuildArgsHLS(t *testing.T) {
	r := job.Rendition{Name: "720p", Width: 1280, Height: 720, VideoBitrate: 2800, AudioBitrate: 128}
	args := BuildArgs("in.mov", "/out/720p", r, Options{Preset: "veryfast", SegmentTime: 4 * time.Second})
	joined := strings.Join(args, " ")
	for _, want := range []string{"-c:v libx264", "-hls_time 4", "/out/720p/index.m3u8", "-preset veryfast"} {
		if !strings.Contains(joined, want) {
			t.Errorf("args %q missing %q", joined, want)
		}
	}
}

func TestConcatSegmentsHelpers(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, body := range []string{"aaa", "bb", "c"} {
		p := filepath.Join(dir, "part"+string(rune('0'+i)))
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	var buf bytes.Buffer
	n, err := CopySegments(&buf, paths)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 || buf.String() != "aaabbc" {
		t.Fatalf("got %d %q", n, buf.String())
	}
}

func TestWriteConcatListQuotes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.txt")
	if err := WriteConcatList(p, []string{"/tmp/it's.ts"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(data); got != "file '/tmp/it'\\''s.ts'\n" {
		t.Fatalf("list = %q", got)
	}
}
