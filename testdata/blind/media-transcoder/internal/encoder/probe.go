package encoder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// ErrProbeTimeout is returned by QuickProbe when ffprobe is too slow.
var ErrProbeTimeout = errors.New("encoder: probe timed out")

// Stream is one stream as reported by ffprobe.
type Stream struct {
	Index      int    `json:"index"`
	CodecType  string `json:"codec_type"`
	CodecName  string `json:"codec_name"`
	Width      int    `json:"width,omitempty"`
	Height     int    `json:"height,omitempty"`
	RFrameRate string `json:"r_frame_rate,omitempty"`
	Channels   int    `json:"channels,omitempty"`
}

// ProbeResult is the subset of ffprobe's JSON the transcoder uses.
type ProbeResult struct {
	Format struct {
		Filename   string `json:"filename"`
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
		BitRate    string `json:"bit_rate"`
		Size       string `json:"size"`
	} `json:"format"`
	Streams []Stream `json:"streams"`
}

// Duration parses the container duration.
func (p *ProbeResult) Duration() (time.Duration, error) {
	secs, err := strconv.ParseFloat(p.Format.Duration, 64)
	if err != nil {
		return 0, fmt.Errorf("encoder: bad duration %q: %w", p.Format.Duration, err)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// VideoStream returns the first video stream.
func (p *ProbeResult) VideoStream() (Stream, bool) {
	for _, s := range p.Streams {
		if s.CodecType == "video" {
			return s, true
		}
	}
	return Stream{}, false
}

// HasAudio reports whether any audio stream exists.
func (p *ProbeResult) HasAudio() bool {
	for _, s := range p.Streams {
		if s.CodecType == "audio" {
			return true
		}
	}
	return false
}

// Probe runs ffprobe on path.
func (r *Runner) Probe(ctx context.Context, path string) (*ProbeResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.FFprobe,
		"-v", "error", "-print_format", "json", "-show_format", "-show_streams", path)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("encoder: ffprobe %s: %w: %s", path, err, ee.Stderr)
		}
		return nil, fmt.Errorf("encoder: ffprobe %s: %w", path, err)
	}
	var res ProbeResult
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, fmt.Errorf("encoder: decode ffprobe output: %w", err)
	}
	return &res, nil
}

// QuickProbe probes path but gives up after timeout, for the upload path
// where the client is waiting.
func (r *Runner) QuickProbe(path string, timeout time.Duration) (*ProbeResult, error) {
	type outcome struct {
		res *ProbeResult
		err error
	}
	ch := make(chan outcome)
	go func() {
		res, err := r.Probe(context.Background(), path)
		ch <- outcome{res, err} // HAZ goroutine-blocked-send
	}()
	select {
	case o := <-ch:
		return o.res, o.err
	case <-time.After(timeout):
		return nil, ErrProbeTimeout
	}
}

// ProbeWithin is the fixed QuickProbe: the deadline travels in the context,
// so there is no helper goroutine at all.
func (r *Runner) ProbeWithin(path string, timeout time.Duration) (*ProbeResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res, err := r.Probe(ctx, path)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, ErrProbeTimeout
	}
	return res, err
}

// ProbeAll probes every path with bounded parallelism. The result channel is
// buffered for every sender, and the caller may stop reading early.
func (r *Runner) ProbeAll(ctx context.Context, paths []string, parallel int) (map[string]*ProbeResult, error) {
	type outcome struct {
		path string
		res  *ProbeResult
		err  error
	}
	results := make(chan outcome, len(paths))
	sem := make(chan struct{}, max(1, parallel))
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := r.Probe(ctx, p)
			results <- outcome{p, res, err}
		}()
	}
	out := make(map[string]*ProbeResult, len(paths))
	for range paths {
		o := <-results
		if o.err != nil {
			return out, fmt.Errorf("probe %s: %w", o.path, o.err)
		}
		out[o.path] = o.res
	}
	wg.Wait()
	return out, nil
}
