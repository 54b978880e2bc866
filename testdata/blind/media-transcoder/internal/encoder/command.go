// Package encoder drives the external ffmpeg/ffprobe binaries: argument
// building, process supervision, progress parsing and segment handling.
package encoder

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"example.com/mediatranscoder/internal/job"
)

// Options are per-run encoder settings shared by all renditions.
type Options struct {
	Preset      string        // x264 preset, e.g. "veryfast"
	GOP         int           // keyframe interval in frames
	SegmentTime time.Duration // HLS segment length; zero disables HLS
	HWAccel     string        // "", "vaapi", "nvenc"
	Threads     int
}

var validPresets = map[string]bool{
	"ultrafast": true, "superfast": true, "veryfast": true, "faster": true,
	"fast": true, "medium": true, "slow": true, "slower": true,
}

// Validate rejects settings ffmpeg would fail on late.
func (o Options) Validate() error {
	if o.Preset != "" && !validPresets[o.Preset] {
		return fmt.Errorf("encoder: unknown preset %q", o.Preset)
	}
	if o.GOP < 0 || o.Threads < 0 {
		return errors.New("encoder: gop and threads must not be negative")
	}
	if o.SegmentTime != 0 && o.SegmentTime < time.Second {
		return fmt.Errorf("encoder: segment time %s is shorter than a second", o.SegmentTime)
	}
	return nil
}

// BuildArgs returns the ffmpeg arguments that encode src into dst for one
// rendition. Progress is written to stderr in key=value form.
func BuildArgs(src, dst string, r job.Rendition, o Options) []string {
	args := []string{"-hide_banner", "-nostdin", "-y", "-progress", "pipe:2", "-nostats"}
	if o.HWAccel != "" {
		args = append(args, "-hwaccel", o.HWAccel)
	}
	args = append(args, "-i", src)
	args = append(args, codecArgs(r, o)...)
	args = append(args, "-vf", scaleFilter(r.Width, r.Height))
	if o.Threads > 0 {
		args = append(args, "-threads", strconv.Itoa(o.Threads))
	}
	if o.SegmentTime > 0 {
		args = append(args, hlsArgs(dst, o.SegmentTime)...)
		return append(args, dst+"/index.m3u8")
	}
	return append(args, "-movflags", "+faststart", dst)
}

func codecArgs(r job.Rendition, o Options) []string {
	vcodec := "libx264"
	switch strings.ToLower(r.Codec) {
	case "h265", "hevc":
		vcodec = "libx265"
	case "av1":
		vcodec = "libsvtav1"
	}
	if o.HWAccel == "nvenc" && vcodec == "libx264" {
		vcodec = "h264_nvenc"
	}
	args := []string{
		"-c:v", vcodec,
		"-b:v", strconv.Itoa(r.VideoBitrate) + "k",
		"-maxrate", strconv.Itoa(r.VideoBitrate*107/100) + "k",
		"-bufsize", strconv.Itoa(r.VideoBitrate*3/2) + "k",
	}
	if o.Preset != "" && !strings.HasSuffix(vcodec, "_nvenc") {
		args = append(args, "-preset", o.Preset)
	}
	if o.GOP > 0 {
		args = append(args, "-g", strconv.Itoa(o.GOP), "-keyint_min", strconv.Itoa(o.GOP), "-sc_threshold", "0")
	}
	if r.AudioBitrate > 0 {
		args = append(args, "-c:a", "aac", "-b:a", strconv.Itoa(r.AudioBitrate)+"k", "-ac", "2")
	} else {
		args = append(args, "-an")
	}
	return args
}

// scaleFilter keeps the aspect ratio and pads to the target box.
func scaleFilter(w, h int) string {
	return fmt.Sprintf("scale=w=%d:h=%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2",
		w, h, w, h)
}

func hlsArgs(dir string, seg time.Duration) []string {
	return []string{
		"-f", "hls",
		"-hls_time", strconv.FormatFloat(seg.Seconds(), 'f', -1, 64),
		"-hls_playlist_type", "vod",
		"-hls_segment_filename", dir + "/seg_%05d.ts",
	}
}

// FrameArgs returns arguments that decode a single frame at ts as PNG on
// stdout.
func FrameArgs(src string, ts time.Duration, width int) []string {
	return []string{
		"-hide_banner", "-nostdin", "-loglevel", "error",
		"-ss", strconv.FormatFloat(ts.Seconds(), 'f', 3, 64),
		"-i", src,
		"-frames:v", "1",
		"-vf", "scale=" + strconv.Itoa(width) + ":-2",
		"-f", "image2pipe", "-vcodec", "png", "-",
	}
}
