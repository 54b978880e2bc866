// Package replay records lobby frames and stores them as gzip-compressed
// gob files.
package replay

import (
	"compress/gzip"
	"encoding/gob"
	"fmt"
	"io"
	"time"
)

// FormatVersion is written in every header.
const FormatVersion = 3

// Header describes a recorded match.
type Header struct {
	Version   int
	LobbyID   string
	Region    string
	Players   []string
	Started   time.Time
	Ended     time.Time
	Continued bool // a .part1 file follows
}

// Frame is one player action at a simulation tick.
type Frame struct {
	Tick     uint32
	PlayerID string
	Action   string
	X, Y     float32
}

// Replay is a header and its frames.
type Replay struct {
	Header Header
	Frames []Frame
}

// Duration returns the span between the first and last frame at the given
// tick rate.
func (r *Replay) Duration(tickRate int) time.Duration {
	if len(r.Frames) == 0 || tickRate <= 0 {
		return 0
	}
	ticks := r.Frames[len(r.Frames)-1].Tick - r.Frames[0].Tick
	return time.Duration(ticks) * time.Second / time.Duration(tickRate)
}

// decode reads one gzip-compressed gob replay from rd.
func decode(rd io.Reader) (*Replay, error) {
	zr, err := gzip.NewReader(rd)
	if err != nil {
		return nil, fmt.Errorf("replay: gzip: %w", err)
	}
	defer zr.Close()
	var r Replay
	if err := gob.NewDecoder(zr).Decode(&r); err != nil {
		return nil, fmt.Errorf("replay: decode: %w", err)
	}
	if r.Header.Version != FormatVersion {
		return nil, fmt.Errorf("replay: version %d, want %d", r.Header.Version, FormatVersion)
	}
	return &r, nil
}
