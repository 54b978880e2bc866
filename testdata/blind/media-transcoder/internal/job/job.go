// Package job defines transcode requests, their lifecycle and the in-memory
// queue and store the daemon schedules them from.
package job

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// ID identifies a transcode job.
type ID string

// Status is the lifecycle state of a job.
type Status int

const (
	StatusQueued Status = iota
	StatusRunning
	StatusSucceeded
	StatusFailed
	StatusCanceled
)

func (s Status) String() string {
	switch s {
	case StatusQueued:
		return "queued"
	case StatusRunning:
		return "running"
	case StatusSucceeded:
		return "succeeded"
	case StatusFailed:
		return "failed"
	case StatusCanceled:
		return "canceled"
	default:
		return fmt.Sprintf("status(%d)", int(s))
	}
}

// Terminal reports whether no further transitions are expected.
func (s Status) Terminal() bool {
	return s == StatusSucceeded || s == StatusFailed || s == StatusCanceled
}

// Rendition is one output of the encoding ladder.
type Rendition struct {
	Name         string `json:"name"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	VideoBitrate int    `json:"video_kbps"`
	AudioBitrate int    `json:"audio_kbps"`
	Codec        string `json:"codec"`
}

// Request is what a client submits.
type Request struct {
	SourcePath  string      `json:"source"`
	OutputKey   string      `json:"output_key"`
	Renditions  []Rendition `json:"renditions"`
	Thumbnails  int         `json:"thumbnails"`
	CallbackURL string      `json:"callback_url,omitempty"`
	Priority    int         `json:"priority"`
	ParentID    ID          `json:"parent_id,omitempty"`
}

// Job is a request plus its scheduling state.
type Job struct {
	ID       ID        `json:"id"`
	Request  Request   `json:"request"`
	Status   Status    `json:"status"`
	Attempts int       `json:"attempts"`
	Created  time.Time `json:"created"`
	Started  time.Time `json:"started,omitempty"`
	Finished time.Time `json:"finished,omitempty"`
	Err      string    `json:"error,omitempty"`
	Outputs  []string  `json:"outputs,omitempty"`
}

// Validation errors.
var (
	ErrNoSource     = errors.New("job: source is required")
	ErrNoRenditions = errors.New("job: at least one rendition is required")
	ErrBadCallback  = errors.New("job: callback url must be http or https")
)

// NewID returns a random 16-byte hex job id.
func NewID() ID {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("job: reading random bytes: %v", err))
	}
	return ID(hex.EncodeToString(b[:]))
}

// New validates req and wraps it in a queued job.
func New(req Request) (*Job, error) {
	if err := Validate(req); err != nil {
		return nil, err
	}
	return &Job{ID: NewID(), Request: req, Status: StatusQueued, Created: time.Now()}, nil
}

// Validate checks a request before it is accepted.
func Validate(req Request) error {
	if strings.TrimSpace(req.SourcePath) == "" {
		return ErrNoSource
	}
	if len(req.Renditions) == 0 {
		return ErrNoRenditions
	}
	for i, r := range req.Renditions {
		if r.Width <= 0 || r.Height <= 0 || r.Width%2 != 0 || r.Height%2 != 0 {
			return fmt.Errorf("job: rendition %d (%s): dimensions must be positive and even", i, r.Name)
		}
		if r.VideoBitrate <= 0 {
			return fmt.Errorf("job: rendition %d (%s): video bitrate must be positive", i, r.Name)
		}
	}
	if req.CallbackURL != "" {
		u, err := url.Parse(req.CallbackURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return ErrBadCallback
		}
	}
	if filepath.IsAbs(req.OutputKey) || strings.Contains(req.OutputKey, "..") {
		return fmt.Errorf("job: output key %q must be relative", req.OutputKey)
	}
	return nil
}

// DefaultLadder is the adaptive-bitrate ladder used when a request has none.
func DefaultLadder() []Rendition {
	return []Rendition{
		{Name: "1080p", Width: 1920, Height: 1080, VideoBitrate: 5000, AudioBitrate: 192, Codec: "h264"},
		{Name: "720p", Width: 1280, Height: 720, VideoBitrate: 2800, AudioBitrate: 128, Codec: "h264"},
		{Name: "480p", Width: 854, Height: 480, VideoBitrate: 1400, AudioBitrate: 96, Codec: "h264"},
		{Name: "240p", Width: 426, Height: 240, VideoBitrate: 400, AudioBitrate: 64, Codec: "h264"},
	}
}

// Clone returns a deep copy safe to hand to other goroutines.
func (j *Job) Clone() *Job {
	c := *j
	c.Request.Renditions = append([]Rendition(nil), j.Request.Renditions...)
	c.Outputs = append([]string(nil), j.Outputs...)
	return &c
}

// Duration is the wall time of a finished job.
func (j *Job) Duration() time.Duration {
	if j.Started.IsZero() || j.Finished.IsZero() {
		return 0
	}
	return j.Finished.Sub(j.Started)
}
