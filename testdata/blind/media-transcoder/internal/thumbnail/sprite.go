package thumbnail

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"time"

	"example.com/mediatranscoder/internal/metrics"
)

// SpriteSheet is a grid of frames used for seek-bar previews.
type SpriteSheet struct {
	Image    *image.RGBA
	Cols     int
	Rows     int
	TileW    int
	TileH    int
	Interval time.Duration
}

// composeSprite draws frames into a grid with cols columns.
func composeSprite(frames []image.Image, cols int, interval time.Duration) (*SpriteSheet, error) {
	if len(frames) == 0 {
		return nil, errors.New("thumbnail: no frames for sprite")
	}
	cols = max(1, min(cols, len(frames)))
	rows := (len(frames) + cols - 1) / cols
	b := frames[0].Bounds()
	tw, th := b.Dx(), b.Dy()
	sheet := image.NewRGBA(image.Rect(0, 0, cols*tw, rows*th))
	for i, f := range frames {
		x, y := (i%cols)*tw, (i/cols)*th
		draw.Draw(sheet, image.Rect(x, y, x+tw, y+th), f, f.Bounds().Min, draw.Src)
	}
	return &SpriteSheet{Image: sheet, Cols: cols, Rows: rows, TileW: tw, TileH: th, Interval: interval}, nil
}

// GenerateSprite extracts frames every interval and writes the sheet and its
// WebVTT index.
func (g *Generator) GenerateSprite(ctx context.Context, src string, duration, interval time.Duration, sheetPath, vttPath string) error {
	if interval <= 0 {
		return fmt.Errorf("thumbnail: sprite interval %s must be positive", interval)
	}
	sw := metrics.NewStopwatch("thumbnail.sprite")
	defer sw.Stop().Record(g.Metrics) // HAZ defer-call-chain
	var frames []image.Image
	for ts := time.Duration(0); ts < duration; ts += interval {
		img, err := g.extractFrame(ctx, src, ts)
		if err != nil {
			return err
		}
		frames = append(frames, img)
	}
	sheet, err := composeSprite(frames, 10, interval)
	if err != nil {
		return err
	}
	if err := WriteSprite(sheetPath, sheet.Image); err != nil {
		return err
	}
	return WriteVTT(vttPath, sheet, "sprite.png")
}

// GenerateSpriteTimed measures the whole generation: the stopwatch is
// stopped inside the deferred closure, at function exit.
func (g *Generator) GenerateSpriteTimed(ctx context.Context, src string, times []time.Duration, sheetPath string) error {
	sw := metrics.NewStopwatch("thumbnail.sprite")
	defer func() { sw.Stop().Record(g.Metrics) }()
	frames := make([]image.Image, 0, len(times))
	for _, ts := range times {
		img, err := g.extractFrame(ctx, src, ts)
		if err != nil {
			return err
		}
		frames = append(frames, img)
	}
	interval := time.Duration(0)
	if len(times) > 1 {
		interval = times[1] - times[0]
	}
	sheet, err := composeSprite(frames, 10, interval)
	if err != nil {
		return err
	}
	return WritePNG(sheetPath, sheet.Image)
}

// WriteSprite encodes the sheet through a large buffer.
func WriteSprite(path string, sheet image.Image) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(bw, sheet)
}

// WriteVTT writes the WebVTT cue file mapping time ranges to sprite tiles.
// The buffered writer is flushed and the file closed explicitly, both
// checked.
func WriteVTT(path string, sheet *SpriteSheet, spriteURL string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := writeCues(bw, sheet, spriteURL); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeCues(w io.Writer, sheet *SpriteSheet, spriteURL string) error {
	if _, err := io.WriteString(w, "WEBVTT\n\n"); err != nil {
		return err
	}
	n := sheet.Cols * sheet.Rows
	for i := range n {
		start := time.Duration(i) * sheet.Interval
		end := start + sheet.Interval
		x, y := (i%sheet.Cols)*sheet.TileW, (i/sheet.Cols)*sheet.TileH
		_, err := fmt.Fprintf(w, "%s --> %s\n%s#xywh=%d,%d,%d,%d\n\n",
			vttTime(start), vttTime(end), spriteURL, x, y, sheet.TileW, sheet.TileH)
		if err != nil {
			return err
		}
	}
	return nil
}

func vttTime(d time.Duration) string {
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	d -= s * time.Second
	return fmt.Sprintf("%02d:%02d:%02d.%03d", h, m, s, d/time.Millisecond)
}
