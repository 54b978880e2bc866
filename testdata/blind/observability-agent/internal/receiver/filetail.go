package receiver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/telemetry"
)

// Tailer follows a set of log files, surviving rename-style rotation, and
// emits one log record per line.
type Tailer struct {
	Paths     []string
	Poll      time.Duration
	StatePath string

	out chan pdata.Record

	mu      sync.Mutex
	offsets map[string]int64

	lines *telemetry.Counter
}

// NewTailer returns a tailer; its output is read from Out.
func NewTailer(paths []string, statePath string, reg *telemetry.Registry) *Tailer {
	return &Tailer{
		Paths:     paths,
		Poll:      250 * time.Millisecond,
		StatePath: statePath,
		out:       make(chan pdata.Record, 1024),
		offsets:   make(map[string]int64),
		lines:     reg.Counter("receiver_tail_lines"),
	}
}

// Out is the record stream. It is closed when the tailer stops.
func (t *Tailer) Out() <-chan pdata.Record { return t.out }

// Checkpoint maps file paths to byte offsets already emitted.
type Checkpoint map[string]int64

// LoadCheckpoint reads a checkpoint; a missing file is an empty checkpoint.
func LoadCheckpoint(path string) (Checkpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Checkpoint{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	var c Checkpoint
	if err := json.NewDecoder(f).Decode(&c); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return c, nil
}

// Save writes the checkpoint atomically (temp file + rename).
func (c Checkpoint) Save(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".offsets-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // ok: fails harmlessly after the rename
	defer f.Close()           // ok: closed and checked below on the success path
	if err := json.NewEncoder(f).Encode(c); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Restore loads saved offsets into the tailer.
func (t *Tailer) Restore() error {
	c, err := LoadCheckpoint(t.StatePath)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for p, off := range c {
		t.offsets[p] = off
	}
	return nil
}

func (t *Tailer) checkpoint() Checkpoint {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := make(Checkpoint, len(t.offsets))
	for p, off := range t.offsets {
		c[p] = off
	}
	return c
}

func (t *Tailer) offset(path string) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.offsets[path]
}

func (t *Tailer) setOffset(path string, off int64) {
	t.mu.Lock()
	t.offsets[path] = off
	t.mu.Unlock()
}

// Run tails until ctx ends and then saves the offsets.
func (t *Tailer) Run(ctx context.Context) error {
	defer t.checkpoint().Save(t.StatePath) // HAZ defer-call-chain
	return t.tailAll(ctx)
}

// RunAndSave tails until ctx ends; offsets are captured and saved on exit.
func (t *Tailer) RunAndSave(ctx context.Context) (err error) {
	defer func() {
		err = errors.Join(err, t.checkpoint().Save(t.StatePath)) // ok: evaluated at exit
	}()
	return t.tailAllWait(ctx)
}

func (t *Tailer) tailAll(ctx context.Context) error {
	defer close(t.out) // HAZ defer-close-chan-with-sender
	for _, p := range t.Paths {
		go t.follow(ctx, p)
	}
	<-ctx.Done()
	return ctx.Err()
}

func (t *Tailer) tailAllWait(ctx context.Context) error {
	defer close(t.out) // ok: every sender is waited for below
	var wg sync.WaitGroup
	for _, p := range t.Paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.follow(ctx, p) // ok: p is per-iteration (go 1.22)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// follow emits lines appended to path until ctx ends, reopening the file
// when it is rotated away.
func (t *Tailer) follow(ctx context.Context, path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Printf("tail %s: %v", path, err)
		return
	}
	defer f.Close() // HAZ defer-eager-evaluation
	off := t.offset(path)
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		off = 0
	}
	r := bufio.NewReader(f)
	ticker := time.NewTicker(t.Poll)
	defer ticker.Stop()
	var partial strings.Builder
	for {
		chunk, err := r.ReadString('\n')
		partial.WriteString(chunk)
		off += int64(len(chunk))
		if err == nil {
			line := strings.TrimRight(partial.String(), "\r\n")
			partial.Reset()
			t.setOffset(path, off)
			t.lines.Inc()
			select {
			case t.out <- pdata.Record{Kind: pdata.KindLog, Time: time.Now(), Body: line, Attrs: map[string]string{"file": path}}:
			case <-ctx.Done():
				return
			}
			continue
		}
		if !errors.Is(err, io.EOF) {
			log.Printf("tail %s: %v", path, err)
			return
		}
		if rotated(f, path, off) {
			f, err = os.Open(path)
			if err != nil {
				log.Printf("tail %s: reopen: %v", path, err)
				return
			}
			r.Reset(f)
			off = 0
			partial.Reset()
			t.setOffset(path, 0)
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// rotated reports whether the file at path is no longer the one open as f,
// or was truncated below off.
func rotated(f *os.File, path string, off int64) bool {
	cur, err := f.Stat()
	if err != nil {
		return true
	}
	now, err := os.Stat(path)
	if err != nil {
		return false // moved away and not yet recreated: keep reading the old one
	}
	return !os.SameFile(cur, now) || now.Size() < off
}

// Backfill reads every file in paths from the start and calls emit for
// each line. It returns the number of lines.
func Backfill(paths []string, emit func(pdata.Record)) (int, error) {
	n := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return n, err
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			emit(pdata.Record{Kind: pdata.KindLog, Time: time.Now(), Body: sc.Text(), Attrs: map[string]string{"file": p}})
			n++
		}
		if err := sc.Err(); err != nil {
			return n, fmt.Errorf("%s: %w", p, err)
		}
	}
	return n, nil
}

// BackfillEach is Backfill with each file closed before the next is opened.
func BackfillEach(paths []string, emit func(pdata.Record)) (int, error) {
	n := 0
	for _, p := range paths {
		k, err := backfillFile(p, emit)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func backfillFile(p string, emit func(pdata.Record)) (int, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close() // ok: read-only, one file per call
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		emit(pdata.Record{Kind: pdata.KindLog, Time: time.Now(), Body: sc.Text(), Attrs: map[string]string{"file": p}})
		n++
	}
	return n, sc.Err()
}

// HeadLines returns the first n lines of each file, for the tailcat preview.
func HeadLines(paths []string, n int) (map[string][]string, error) {
	out := make(map[string][]string, len(paths))
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close() // ok: function literal per file
			sc := bufio.NewScanner(f)
			for len(out[p]) < n && sc.Scan() {
				out[p] = append(out[p], sc.Text())
			}
			return sc.Err()
		}()
		if err != nil {
			return out, fmt.Errorf("%s: %w", p, err)
		}
	}
	return out, nil
}
