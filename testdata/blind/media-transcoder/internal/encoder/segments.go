package encoder

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SegmentPlan splits a source into fixed-length chunks that are encoded in
// parallel and concatenated afterwards.
type SegmentPlan struct {
	Source   string
	Dir      string
	Length   time.Duration
	Total    time.Duration
	BaseArgs []string
}

// Count is the number of segments in the plan.
func (p SegmentPlan) Count() int {
	if p.Length <= 0 {
		return 0
	}
	n := int(p.Total / p.Length)
	if p.Total%p.Length != 0 {
		n++
	}
	return n
}

// SegmentPath is the output file of segment i.
func (p SegmentPlan) SegmentPath(i int) string {
	return filepath.Join(p.Dir, fmt.Sprintf("part_%05d.ts", i))
}

// segmentArgs builds the arguments that encode segment i.
func (p SegmentPlan) segmentArgs(i int) []string {
	start := time.Duration(i) * p.Length
	args := []string{
		"-hide_banner", "-nostdin", "-y",
		"-ss", strconv.FormatFloat(start.Seconds(), 'f', 3, 64),
		"-t", strconv.FormatFloat(p.Length.Seconds(), 'f', 3, 64),
		"-i", p.Source,
	}
	args = append(args, p.BaseArgs...)
	return append(args, p.SegmentPath(i))
}

// EncodeSegments encodes every segment concurrently and returns how many
// segments were scheduled.
func (r *Runner) EncodeSegments(ctx context.Context, plan SegmentPlan) (int, error) {
	n := plan.Count()
	errs := make([]error, n)
	var wg sync.WaitGroup
	var seg int
	for seg = 0; seg < n; seg++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[seg] = r.RunWithSlot(ctx, plan.segmentArgs(seg), nil)
		}()
	}
	wg.Wait()
	return seg, errors.Join(errs...)
}

// EncodeSegmentsBounded is the version the worker uses: the loop declares its
// own variable (per-iteration since Go 1.22) and a semaphore bounds the
// number of concurrent encoders.
func (r *Runner) EncodeSegmentsBounded(ctx context.Context, plan SegmentPlan, parallel int) error {
	n := plan.Count()
	errs := make([]error, n)
	sem := make(chan struct{}, max(1, parallel))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.Run(ctx, plan.segmentArgs(i), nil)
			<-sem
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ConcatSegments appends the segment files to dst in order.
func ConcatSegments(dst io.Writer, paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := io.Copy(dst, f)
		total += n
		if err != nil {
			return total, fmt.Errorf("concat %s: %w", p, err)
		}
	}
	return total, nil
}

// CopySegments is ConcatSegments with the per-file work moved into a helper,
// so each segment is closed before the next one is opened.
func CopySegments(dst io.Writer, paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		n, err := appendSegment(dst, p)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func appendSegment(dst io.Writer, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := io.Copy(dst, f)
	if err != nil {
		return n, fmt.Errorf("concat %s: %w", path, err)
	}
	return n, nil
}

// SegmentSizes stats every segment; each file is closed by the defer inside
// the per-iteration function literal.
func SegmentSizes(paths []string) (map[string]int64, error) {
	sizes := make(map[string]int64, len(paths))
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			sizes[p] = st.Size()
			return nil
		}()
		if err != nil {
			return sizes, err
		}
	}
	return sizes, nil
}

// writeConcatList writes the list file for ffmpeg's concat demuxer.
func writeConcatList(path string, segments []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, s := range segments {
		fmt.Fprintf(bw, "file '%s'\n", strings.ReplaceAll(s, "'", `'\''`))
	}
	return nil
}

// WriteConcatList writes the list and checks the buffered flush before the
// file is closed.
func WriteConcatList(path string, segments []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for _, s := range segments {
		if _, err := fmt.Fprintf(bw, "file '%s'\n", strings.ReplaceAll(s, "'", `'\''`)); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Concat joins the encoded segments with the concat demuxer (stream copy).
func (r *Runner) Concat(ctx context.Context, plan SegmentPlan, out string) error {
	paths := make([]string, plan.Count())
	for i := range paths {
		paths[i] = plan.SegmentPath(i)
	}
	list := filepath.Join(plan.Dir, "concat.txt")
	if err := writeConcatList(list, paths); err != nil {
		return err
	}
	args := []string{"-hide_banner", "-nostdin", "-y", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", out}
	return r.Run(ctx, args, nil)
}
