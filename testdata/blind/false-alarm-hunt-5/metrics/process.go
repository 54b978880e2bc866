package metrics

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ProcessCollector exposes CPU, memory and file descriptor usage from /proc.
type ProcessCollector struct {
	pid      int
	procRoot string
	cpu      *Desc
	rss      *Desc
	fds      *Desc
	start    *Desc

	mu       sync.Mutex
	lastErr  error
	failures int
}

// NewProcessCollector returns a collector for pid under procRoot.
func NewProcessCollector(pid int, procRoot string) *ProcessCollector {
	return &ProcessCollector{
		pid:      pid,
		procRoot: procRoot,
		cpu:      MustNewDesc("process_cpu_seconds_total", "User and system CPU time.", CounterType, nil),
		rss:      MustNewDesc("process_resident_memory_bytes", "Resident memory size.", GaugeType, nil),
		fds:      MustNewDesc("process_open_fds", "Open file descriptors.", GaugeType, nil),
		start:    MustNewDesc("process_start_time_seconds", "Start time since the epoch.", GaugeType, nil),
	}
}

// Describe implements Collector.
func (p *ProcessCollector) Describe() []*Desc { return []*Desc{p.cpu, p.rss, p.fds, p.start} }

// Collect implements Collector; read failures are remembered, not fatal.
func (p *ProcessCollector) Collect(ch chan<- Sample) {
	st, err := p.readStat()
	if err != nil {
		p.recordErr(err)
		return
	}
	ch <- Sample{Desc: p.cpu, Value: st.cpuSeconds}
	ch <- Sample{Desc: p.rss, Value: float64(st.rssPages * os.Getpagesize())}
	ch <- Sample{Desc: p.start, Value: st.startSeconds}
	if n, err := p.countFDs(); err == nil {
		ch <- Sample{Desc: p.fds, Value: float64(n)}
	} else {
		p.recordErr(err)
	}
}

func (p *ProcessCollector) recordErr(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lastErr = err
	p.failures++
}

// LastError returns the most recent read failure.
func (p *ProcessCollector) LastError() (error, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastErr, p.failures
}

type procStat struct {
	cpuSeconds   float64
	rssPages     int
	startSeconds float64
}

// readStat parses /proc/<pid>/stat; the file is opened read-only.
func (p *ProcessCollector) readStat() (procStat, error) {
	f, err := os.Open(fmt.Sprintf("%s/%d/stat", p.procRoot, p.pid))
	if err != nil {
		return procStat{}, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return procStat{}, err
	}
	// Skip "pid (comm) " since comm may contain spaces.
	if i := strings.LastIndexByte(line, ')'); i >= 0 {
		line = line[i+2:]
	}
	fields := strings.Fields(line)
	if len(fields) < 22 {
		return procStat{}, fmt.Errorf("metrics: short stat line (%d fields)", len(fields))
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	startTicks, _ := strconv.ParseFloat(fields[19], 64)
	rss, _ := strconv.Atoi(fields[21])
	const ticks = 100.0
	boot, err := p.bootTime()
	if err != nil {
		return procStat{}, err
	}
	return procStat{cpuSeconds: (utime + stime) / ticks, rssPages: rss, startSeconds: boot + startTicks/ticks}, nil
}

// bootTime reads btime from /proc/stat.
func (p *ProcessCollector) bootTime() (float64, error) {
	f, err := os.Open(p.procRoot + "/stat")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "btime "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("metrics: no btime in %s/stat", p.procRoot)
}

func (p *ProcessCollector) countFDs() (int, error) {
	d, err := os.Open(fmt.Sprintf("%s/%d/fd", p.procRoot, p.pid))
	if err != nil {
		return 0, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	return len(names), err
}

// GoCollector exposes runtime statistics.
type GoCollector struct {
	goroutines *Desc
	heap       *Desc
	gcPause    *Desc

	mu       sync.Mutex
	last     runtime.MemStats
	lastRead time.Time
	maxAge   time.Duration
}

// NewGoCollector returns a collector that reads MemStats at most every maxAge.
func NewGoCollector(maxAge time.Duration) *GoCollector {
	return &GoCollector{
		goroutines: MustNewDesc("go_goroutines", "Number of goroutines.", GaugeType, nil),
		heap:       MustNewDesc("go_memstats_heap_alloc_bytes", "Heap bytes in use.", GaugeType, nil),
		gcPause:    MustNewDesc("go_gc_pause_total_seconds", "Total GC pause.", CounterType, nil),
		maxAge:     maxAge,
	}
}

// Describe implements Collector.
func (g *GoCollector) Describe() []*Desc { return []*Desc{g.goroutines, g.heap, g.gcPause} }

// memStats returns cached MemStats, refreshing them when stale.
func (g *GoCollector) memStats() runtime.MemStats {
	g.mu.Lock()
	defer g.mu.Unlock()
	if time.Since(g.lastRead) > g.maxAge {
		runtime.ReadMemStats(&g.last)
		g.lastRead = time.Now()
	}
	return g.last
}

// Collect implements Collector.
func (g *GoCollector) Collect(ch chan<- Sample) {
	ms := g.memStats()
	ch <- Sample{Desc: g.goroutines, Value: float64(runtime.NumGoroutine())}
	ch <- Sample{Desc: g.heap, Value: float64(ms.HeapAlloc)}
	ch <- Sample{Desc: g.gcPause, Value: float64(ms.PauseTotalNs) / 1e9}
}
