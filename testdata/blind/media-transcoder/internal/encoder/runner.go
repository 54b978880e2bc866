package encoder

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"
)

// Runner starts encoder processes.
type Runner struct {
	FFmpeg      string
	FFprobe     string
	StderrLines int
	Logger      *log.Logger

	slots chan struct{}
}

// NewRunner returns a runner allowing at most maxParallel concurrent encodes
// (zero means unlimited).
func NewRunner(ffmpeg, ffprobe string, maxParallel int, logger *log.Logger) *Runner {
	r := &Runner{FFmpeg: ffmpeg, FFprobe: ffprobe, StderrLines: 30, Logger: logger}
	if maxParallel > 0 {
		r.slots = make(chan struct{}, maxParallel)
	}
	return r
}

// ExitError describes a failed encoder run with the tail of its stderr.
type ExitError struct {
	Args   []string
	Err    error
	Stderr string
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("encoder: %v (args: %s)\n%s", e.Err, strings.Join(e.Args, " "), e.Stderr)
}

func (e *ExitError) Unwrap() error { return e.Err }

// Run runs ffmpeg with args and offers parsed progress on progress (which may
// be nil). The stderr reader is joined before Wait, as os/exec requires.
func (r *Runner) Run(ctx context.Context, args []string, progress chan<- Progress) error {
	cmd := exec.CommandContext(ctx, r.FFmpeg, args...)
	cmd.WaitDelay = 5 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return fmt.Errorf("encoder: stderr pipe: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("encoder: start %s: %w", r.FFmpeg, err)
	}
	tail := newTailBuffer(r.StderrLines)
	done := make(chan struct{})
	go func() {
		defer close(done)
		scanProgress(stderr, tail, progress)
	}()
	<-done
	if err := cmd.Wait(); err != nil {
		return &ExitError{Args: args, Err: err, Stderr: tail.String()}
	}
	return nil
}

// Transcode runs one encode and calls onProgress for each progress block.
func (r *Runner) Transcode(ctx context.Context, args []string, onProgress func(Progress)) error {
	cmd := exec.CommandContext(ctx, r.FFmpeg, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return fmt.Errorf("encoder: stderr pipe: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("encoder: start %s: %w", r.FFmpeg, err)
	}
	updates := make(chan Progress, 16)
	defer close(updates) // HAZ defer-close-chan-with-sender
	go func() {
		var p progressParser
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if blk, ok := p.feed(sc.Text()); ok {
				updates <- blk
			}
		}
	}()
	go func() {
		for u := range updates {
			safeNotify(onProgress, u)
		}
	}()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("encoder: %w", err)
	}
	return nil
}

// TranscodeSync is the replacement for Transcode: the parser goroutine owns
// the updates channel and closes it itself, and the caller drains it before
// waiting for the process.
func (r *Runner) TranscodeSync(ctx context.Context, args []string, onProgress func(Progress)) error {
	cmd := exec.CommandContext(ctx, r.FFmpeg, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return fmt.Errorf("encoder: stderr pipe: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("encoder: start %s: %w", r.FFmpeg, err)
	}
	updates := make(chan Progress)
	go func() {
		defer close(updates)
		var p progressParser
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if blk, ok := p.feed(sc.Text()); ok {
				updates <- blk
			}
		}
	}()
	for u := range updates {
		safeNotify(onProgress, u)
	}
	return cmd.Wait()
}

// Pipe feeds src to the encoder's stdin and copies its stdout to dst.
func (r *Runner) Pipe(ctx context.Context, args []string, src io.Reader, dst io.Writer) error {
	cmd := exec.CommandContext(ctx, r.FFmpeg, args...)
	cmd.Stdin = src
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	copyErr := make(chan error)
	go func() {
		_, err := io.Copy(dst, stdout)
		copyErr <- err // HAZ goroutine-blocked-send
	}()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("encoder: %w", err)
	}
	return <-copyErr
}

// Filter is Pipe with a cancellable wait; the copy result channel has room
// for the single send, so the copier never outlives the call by blocking.
func (r *Runner) Filter(ctx context.Context, args []string, src io.Reader, dst io.Writer) error {
	cmd := exec.CommandContext(ctx, r.FFmpeg, args...)
	cmd.Stdin = src
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	copyErr := make(chan error, 1)
	go func() {
		_, err := io.Copy(dst, stdout)
		copyErr <- err
	}()
	select {
	case err := <-copyErr:
		werr := cmd.Wait()
		return errors.Join(err, werr)
	case <-ctx.Done():
		_ = cmd.Wait()
		return ctx.Err()
	}
}

// StreamTo runs the encoder and streams its stdout (e.g. fragmented MP4) to w.
func (r *Runner) StreamTo(ctx context.Context, args []string, w io.Writer) error {
	cmd := exec.CommandContext(ctx, r.FFmpeg, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	_, err = io.Copy(w, stdout)
	return err
}

// Chain connects two ffmpeg processes with an io.Pipe (decode -> filter) and
// writes the second one's output to dst. Both pipe ends are closed on every
// path so neither process can block on the other.
func (r *Runner) Chain(ctx context.Context, first, second []string, dst io.Writer) error {
	pr, pw := io.Pipe()
	c1 := exec.CommandContext(ctx, r.FFmpeg, first...)
	c1.Stdout = pw
	c2 := exec.CommandContext(ctx, r.FFmpeg, second...)
	c2.Stdin = pr
	c2.Stdout = dst
	if err := c1.Start(); err != nil {
		pw.Close()
		pr.Close()
		return fmt.Errorf("encoder: start decoder: %w", err)
	}
	if err := c2.Start(); err != nil {
		pr.Close()
		_ = c1.Process.Kill()
		_ = c1.Wait()
		pw.Close()
		return fmt.Errorf("encoder: start filter: %w", err)
	}
	errc := make(chan error, 1)
	go func() {
		err := c1.Wait()
		pw.CloseWithError(err)
		errc <- err
	}()
	err2 := c2.Wait()
	pr.Close()
	err1 := <-errc
	return errors.Join(err1, err2)
}

// CaptureStdout runs bin and returns at most limit bytes of its stdout.
func (r *Runner) CaptureStdout(ctx context.Context, bin string, args []string, limit int64) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	stdout, err := cmd.StdoutPipe()
	defer stdout.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	data, readErr := io.ReadAll(io.LimitReader(stdout, limit))
	_, _ = io.Copy(io.Discard, stdout)
	waitErr := cmd.Wait()
	return data, errors.Join(readErr, waitErr)
}

// acquireSlot blocks until an encode slot is free or ctx ends.
func (r *Runner) acquireSlot(ctx context.Context) error {
	select {
	case r.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// releaseSlot frees a slot; it never blocks.
func (r *Runner) releaseSlot() {
	select {
	case <-r.slots:
	default:
		r.Logger.Print("encoder: slot released without acquire")
	}
}

// RunLimited runs like Run but holds one of the runner's encode slots when a
// limit is configured.
func (r *Runner) RunLimited(ctx context.Context, args []string, progress chan<- Progress) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if r.slots != nil {
		if err := r.acquireSlot(ctx); err != nil {
			return err
		}
		release = r.releaseSlot
	}
	return r.Run(ctx, args, progress)
}

// RunWithSlot is the correct form of RunLimited: the release is deferred only
// once the slot is held.
func (r *Runner) RunWithSlot(ctx context.Context, args []string, progress chan<- Progress) error {
	if r.slots != nil {
		if err := r.acquireSlot(ctx); err != nil {
			return err
		}
		defer r.releaseSlot()
	}
	return r.Run(ctx, args, progress)
}

var errGPUBusy = errors.New("encoder: all hardware encoder sessions are busy")

const maxGPUSessions = 3

var gpuSessions atomic.Int32

func reserveGPU() error {
	if gpuSessions.Add(1) > maxGPUSessions {
		gpuSessions.Add(-1)
		return errGPUBusy
	}
	return nil
}

func releaseGPU() { gpuSessions.Add(-1) }

// Hardware encoders need a session reserved before ffmpeg starts.
var (
	accelSetup    = map[string]func() error{"nvenc": reserveGPU}
	accelTeardown = map[string]func(){"nvenc": releaseGPU}
)

// RunWithAccel reserves hardware resources for accel around the run.
func (r *Runner) RunWithAccel(ctx context.Context, accel string, args []string, progress chan<- Progress) error {
	if setup, ok := accelSetup[accel]; ok {
		if err := setup(); err != nil {
			return err
		}
	}
	defer accelTeardown[accel]() // HAZ defer-nil-func
	return r.Run(ctx, args, progress)
}

// RunAccelerated only defers a teardown that exists.
func (r *Runner) RunAccelerated(ctx context.Context, accel string, args []string, progress chan<- Progress) error {
	if setup, ok := accelSetup[accel]; ok {
		if err := setup(); err != nil {
			return err
		}
	}
	if teardown, ok := accelTeardown[accel]; ok {
		defer teardown()
	}
	return r.Run(ctx, args, progress)
}
