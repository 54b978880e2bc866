package thumbnail

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func solid(w, h int, c color.Color) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	return img
}

func TestFrameTimesSkipsEdges(t *testing.T) {
	ts := FrameTimes(100*time.Second, 3)
	want := []time.Duration{5 * time.Second, 50 * time.Second, 95 * time.Second}
	if len(ts) != len(want) {
		t.Fatalf("got %v", ts)
	}
	for i := range want {
		if ts[i] != want[i] {
			t.Fatalf("ts[%d] = %s, want %s", i, ts[i], want[i])
		}
	}
}

func TestWritePNGRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.png")
	if err := WritePNG(p, solid(8, 4, color.White)); err != nil {
		t.Fatal(err)
	}
	img, err := readPNG(p)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 8 || b.Dy() != 4 {
		t.Fatalf("bounds %v", b)
	}
}

func TestComposeSpriteGrid(t *testing.T) {
	frames := make([]image.Image, 5)
	for i := range frames {
		frames[i] = solid(16, 9, color.Gray{Y: uint8(i * 40)})
	}
	sheet, err := composeSprite(frames, 2, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if sheet.Cols != 2 || sheet.Rows != 3 {
		t.Fatalf("grid %dx%d", sheet.Cols, sheet.Rows)
	}
	if b := sheet.Image.Bounds(); b.Dx() != 32 || b.Dy() != 27 {
		t.Fatalf("sheet bounds %v", b)
	}
}

func TestWriteVTT(t *testing.T) {
	sheet := &SpriteSheet{Cols: 2, Rows: 1, TileW: 160, TileH: 90, Interval: 5 * time.Second}
	p := filepath.Join(t.TempDir(), "thumbs.vtt")
	if err := WriteVTT(p, sheet, "sprite.png"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nsprite.png#xywh=0,0,160,90\n\n" +
		"00:00:05.000 --> 00:00:10.000\nsprite.png#xywh=160,0,160,90\n\n"
	if string(data) != want {
		t.Fatalf("vtt:\n%s", data)
	}
}

func TestDecodeFrameSafeRejectsGarbage(t *testing.T) {
	if _, err := decodeFrameSafe([]byte("not a png")); err == nil {
		t.Fatal("garbage decoded without error")
	}
}
