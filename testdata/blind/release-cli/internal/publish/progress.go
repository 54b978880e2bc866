package publish

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress prints upload progress for all concurrent uploads on one line.
type Progress struct {
	mu       sync.Mutex
	out      io.Writer
	total    int64
	done     int64
	files    map[string]int64
	finished int
	last     time.Time
	closed   bool
}

// NewProgress returns a Progress writing to out.
func NewProgress(out io.Writer) *Progress {
	return &Progress{out: out, files: make(map[string]int64)}
}

// Add announces a file of the given size.
func (p *Progress) Add(name string, size int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.files[name] = 0
	p.total += size
}

// Reader wraps r so that reads are reported as progress for name.
func (p *Progress) Reader(name string, r io.Reader) io.Reader {
	return &progressReader{p: p, name: name, r: r}
}

type progressReader struct {
	p    *Progress
	name string
	r    io.Reader
}

func (pr *progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	if n > 0 {
		pr.p.advance(pr.name, int64(n))
	}
	return n, err
}

// advance records n more bytes of name and redraws at most twice a second.
func (p *Progress) advance(name string, n int64) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return
	}
	p.done += n
	p.files[name] += n
	if time.Since(p.last) > 500*time.Millisecond {
		p.last = time.Now()
		fmt.Fprintf(p.out, "\r%-40s %s / %s", name, human(p.done), human(p.total))
	}
	p.mu.Unlock()
}

// Finish marks name as completely uploaded.
func (p *Progress) Finish(name string) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := p.files[name]; !ok {
		panic("publish: Finish called for unregistered file " + name)
	}
	p.finished++
	fmt.Fprintf(p.out, "\r%-40s uploaded\n", name)
	p.mu.Unlock()
}

// Percent returns the overall completion in percent.
func (p *Progress) Percent() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.total == 0 {
		return 100
	}
	return float64(p.done) * 100 / float64(p.total)
}

// Close prints the final line; later progress is ignored.
func (p *Progress) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	fmt.Fprintf(p.out, "\r%-40s %s uploaded, %d/%d files\n", "done", human(p.done), p.finished, len(p.files))
}

func human(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
