// Package thumbnail extracts still frames from a source with ffmpeg and
// writes posters, frame strips and sprite sheets as PNG files.
package thumbnail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"example.com/mediatranscoder/internal/encoder"
	"example.com/mediatranscoder/internal/metrics"
)

// Generator produces thumbnails for one output directory.
type Generator struct {
	FFmpeg  string
	OutDir  string
	Width   int
	Metrics *metrics.Registry
}

// New returns a generator writing below outDir.
func New(ffmpeg, outDir string, width int, reg *metrics.Registry) (*Generator, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	if width <= 0 {
		width = 320
	}
	return &Generator{FFmpeg: ffmpeg, OutDir: outDir, Width: width, Metrics: reg}, nil
}

// FrameTimes spreads n timestamps over duration, skipping the first and
// last 5% where fades and slates usually are.
func FrameTimes(duration time.Duration, n int) []time.Duration {
	if n <= 0 || duration <= 0 {
		return nil
	}
	start := duration / 20
	span := duration - 2*start
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = start + span*time.Duration(i)/time.Duration(max(1, n-1))
	}
	return out
}

// extractFrame decodes one frame at ts.
func (g *Generator) extractFrame(ctx context.Context, src string, ts time.Duration) (image.Image, error) {
	cmd := exec.CommandContext(ctx, g.FFmpeg, encoder.FrameArgs(src, ts, g.Width)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("thumbnail: frame at %s: %w: %s", ts, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return g.decodeFrame(out)
}

// decodeFrame turns ffmpeg's PNG output into an image.
func (g *Generator) decodeFrame(data []byte) (img image.Image, err error) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	img, err = png.Decode(bytes.NewReader(data))
	return img, err
}

// decodeFrameSafe converts a decoder panic into an error for the caller.
func decodeFrameSafe(data []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("thumbnail: png decoder panicked: %v", r)
		}
	}()
	return png.Decode(bytes.NewReader(data))
}

// GenerateSet extracts one frame per timestamp concurrently and saves them.
func (g *Generator) GenerateSet(ctx context.Context, src string, times []time.Duration) ([]string, error) {
	var wg sync.WaitGroup
	paths := make([]string, len(times))
	errs := make([]error, len(times))
	for i, ts := range times {
		wg.Add(1)
		go func() {
			img, err := g.extractFrame(ctx, src, ts)
			if err != nil {
				errs[i] = err
				return
			}
			paths[i], errs[i] = g.savePoster(img, "thumb-"+strconv.Itoa(i)+".png")
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return paths, errors.Join(errs...)
}

// Generate is GenerateSet with Done deferred, so every goroutine is
// accounted for on every path.
func (g *Generator) Generate(ctx context.Context, src string, times []time.Duration) ([]string, error) {
	var wg sync.WaitGroup
	paths := make([]string, len(times))
	errs := make([]error, len(times))
	for i, ts := range times {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img, err := g.extractFrame(ctx, src, ts)
			if err != nil {
				errs[i] = err
				return
			}
			p := filepath.Join(g.OutDir, fmt.Sprintf("thumb-%03d.png", i))
			errs[i] = WritePNG(p, img)
			paths[i] = p
		}()
	}
	wg.Wait()
	return paths, errors.Join(errs...)
}

// savePoster writes img as a PNG below OutDir.
func (g *Generator) savePoster(img image.Image, name string) (string, error) {
	p := filepath.Join(g.OutDir, filepath.Base(name))
	f, err := os.Create(p)
	if err != nil {
		return "", err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if err := png.Encode(f, img); err != nil {
		return "", err
	}
	return p, nil
}

// WritePNG encodes img into path through a buffered writer, syncs it and
// reports the Close error through the named result.
func WritePNG(path string, img image.Image) (err error) {
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
	if err := png.Encode(bw, img); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// WriteStrip writes one PNG per frame for the scrubbing preview.
func (g *Generator) WriteStrip(frames []image.Image, prefix string) ([]string, error) {
	var paths []string
	for i, img := range frames {
		p := filepath.Join(g.OutDir, fmt.Sprintf("%s-%03d.png", prefix, i))
		f, err := os.Create(p)
		if err != nil {
			return paths, err
		}
		defer f.Close() // HAZ defer-in-loop defer-close-unchecked-write
		if err := png.Encode(f, img); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// WriteFrames is the loop the worker uses: every file is written and closed
// by WritePNG before the next one is created.
func (g *Generator) WriteFrames(frames []image.Image, prefix string) ([]string, error) {
	paths := make([]string, 0, len(frames))
	for i, img := range frames {
		p := filepath.Join(g.OutDir, fmt.Sprintf("%s-%03d.png", prefix, i))
		if err := WritePNG(p, img); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// extractFrameToFile lets ffmpeg write the frame file itself.
func (g *Generator) extractFrameToFile(ctx context.Context, src string, ts time.Duration, dst string) error {
	args := []string{
		"-hide_banner", "-nostdin", "-loglevel", "error", "-y",
		"-ss", strconv.FormatFloat(ts.Seconds(), 'f', 3, 64),
		"-i", src, "-frames:v", "1", dst,
	}
	out, err := exec.CommandContext(ctx, g.FFmpeg, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("thumbnail: %w: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(bufio.NewReader(f))
}

// Poster extracts a frame to a scratch file, re-encodes it at the poster
// width and removes the scratch file.
func (g *Generator) Poster(ctx context.Context, src string, at time.Duration) (string, error) {
	framePath := filepath.Join(g.OutDir, ".frame-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".png")
	if err := g.extractFrameToFile(ctx, src, at, framePath); err != nil {
		return "", err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(framePath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("thumbnail: remove scratch frame: %w", err)
		}
		return nil
	}()
	img, err := readPNG(framePath)
	if err != nil {
		return "", err
	}
	p := filepath.Join(g.OutDir, "poster.png")
	return p, WritePNG(p, img)
}

// PosterCleanly reports a failure to remove the scratch frame through the
// named result instead of returning it from the deferred function.
func (g *Generator) PosterCleanly(ctx context.Context, src string, at time.Duration) (poster string, err error) {
	framePath := filepath.Join(g.OutDir, ".frame-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".png")
	if err := g.extractFrameToFile(ctx, src, at, framePath); err != nil {
		return "", err
	}
	defer func() {
		if rerr := os.Remove(framePath); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
			err = fmt.Errorf("thumbnail: remove scratch frame: %w", rerr)
		}
	}()
	img, err := readPNG(framePath)
	if err != nil {
		return "", err
	}
	poster = filepath.Join(g.OutDir, "poster.png")
	return poster, WritePNG(poster, img)
}
