package encoder

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Progress is one block of ffmpeg "-progress" output.
type Progress struct {
	Frame   int
	FPS     float64
	OutTime time.Duration
	Speed   float64
	Done    bool
}

// progressParser accumulates key=value lines until a "progress=" line closes
// the block.
type progressParser struct {
	cur Progress
}

// feed consumes one line and returns a completed block when one ends.
func (p *progressParser) feed(line string) (Progress, bool) {
	key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
	if !ok {
		return Progress{}, false
	}
	switch key {
	case "frame":
		p.cur.Frame, _ = strconv.Atoi(val)
	case "fps":
		p.cur.FPS, _ = strconv.ParseFloat(val, 64)
	case "out_time":
		if d, err := parseClock(val); err == nil {
			p.cur.OutTime = d
		}
	case "speed":
		p.cur.Speed, _ = strconv.ParseFloat(strings.TrimSuffix(val, "x"), 64)
	case "progress":
		out := p.cur
		out.Done = val == "end"
		p.cur = Progress{}
		return out, true
	}
	return Progress{}, false
}

// ParseProgress reads a whole progress stream and returns the last block.
func ParseProgress(r io.Reader) (Progress, error) {
	var (
		p    progressParser
		last Progress
	)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if blk, ok := p.feed(sc.Text()); ok {
			last = blk
		}
	}
	return last, sc.Err()
}

// parseClock parses ffmpeg's HH:MM:SS.micro timestamps.
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, strconv.ErrSyntax
	}
	h, err := strconv.Atoi(parts[0])
	if err != nil {
		return 0, err
	}
	m, err := strconv.Atoi(parts[1])
	if err != nil {
		return 0, err
	}
	sec, err := strconv.ParseFloat(parts[2], 64)
	if err != nil {
		return 0, err
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	return d + time.Duration(math.Round(sec*1e6))*time.Microsecond, nil
}

// Percent converts a progress block into percent of total.
func Percent(p Progress, total time.Duration) float64 {
	if p.Done {
		return 100
	}
	if total <= 0 {
		return 0
	}
	return min(100, max(0, 100*float64(p.OutTime)/float64(total)))
}

// scanProgress parses stderr, keeps the non-progress lines in tail and offers
// every completed block on out without ever blocking the reader.
func scanProgress(r io.Reader, tail *tailBuffer, out chan<- Progress) {
	var p progressParser
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		blk, ok := p.feed(line)
		if !ok {
			if !strings.Contains(line, "=") {
				tail.add(line)
			}
			continue
		}
		if out == nil {
			continue
		}
		select {
		case out <- blk:
		default:
		}
	}
}

// safeNotify invokes a user progress callback.
func safeNotify(fn func(Progress), p Progress) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a misbehaving progress callback must not kill the encode
		}
	}()
	fn(p)
}

// tailBuffer keeps the last n lines of encoder stderr for error messages.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
	max   int
}

func newTailBuffer(n int) *tailBuffer {
	if n <= 0 {
		n = 20
	}
	return &tailBuffer{max: n}
}

func (t *tailBuffer) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
