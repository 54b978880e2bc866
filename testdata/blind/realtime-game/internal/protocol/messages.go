package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// ProtocolVersion is bumped whenever the wire format changes incompatibly.
const ProtocolVersion = 3

// MaxChatRunes bounds a chat line after sanitising.
const MaxChatRunes = 200

// Hello is the first frame a client sends after connecting.
type Hello struct {
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
	Token    string `json:"token"`
	Version  int    `json:"version"`
}

// Validate checks the fields the server relies on.
func (h Hello) Validate() error {
	switch {
	case h.PlayerID == "":
		return errors.New("hello: missing player id")
	case h.Name == "" || len(h.Name) > 24:
		return fmt.Errorf("hello: bad name length %d", len(h.Name))
	case h.Version != ProtocolVersion:
		return fmt.Errorf("hello: client speaks version %d, server %d", h.Version, ProtocolVersion)
	}
	return nil
}

// Input is one tick's worth of player controls.
type Input struct {
	Tick  uint64 `json:"tick"`
	Up    bool   `json:"up,omitempty"`
	Down  bool   `json:"down,omitempty"`
	Left  bool   `json:"left,omitempty"`
	Right bool   `json:"right,omitempty"`
	Fire  bool   `json:"fire,omitempty"`
}

// Direction converts the pressed keys into a movement vector of length <= 1.
func (in Input) Direction() (dx, dy float64) {
	if in.Up {
		dy--
	}
	if in.Down {
		dy++
	}
	if in.Left {
		dx--
	}
	if in.Right {
		dx++
	}
	if dx != 0 && dy != 0 {
		const diag = 0.70710678
		dx, dy = dx*diag, dy*diag
	}
	return dx, dy
}

// EntityState is the replicated part of one entity.
type EntityState struct {
	ID    string  `json:"id"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	VX    float64 `json:"vx"`
	VY    float64 `json:"vy"`
	HP    int     `json:"hp"`
	Score int     `json:"score"`
}

// StateUpdate is broadcast to every player after each tick.
type StateUpdate struct {
	Tick     uint64        `json:"tick"`
	Entities []EntityState `json:"entities"`
}

// Chat is a chat line, either from a player or from the server.
type Chat struct {
	From string `json:"from"`
	Text string `json:"text"`
}

// Bye tells the client why it is being disconnected.
type Bye struct {
	Reason string `json:"reason"`
}

// SanitizeChat strips control characters and truncates overly long lines.
func SanitizeChat(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsControl(r) {
			continue
		}
		if n == MaxChatRunes {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Ping builds a ping frame carrying the send time, echoed back in the pong.
func Ping(seq uint32, now time.Time) Frame {
	p := make([]byte, 8)
	binary.BigEndian.PutUint64(p, uint64(now.UnixNano()))
	return Frame{Kind: KindPing, Seq: seq, Payload: p}
}

// Pong answers a ping by echoing its payload.
func Pong(ping Frame) Frame {
	return Frame{Kind: KindPong, Seq: ping.Seq, Payload: ping.Payload}
}

// PingTime extracts the send time from a ping or pong frame.
func PingTime(f Frame) (time.Time, bool) {
	if (f.Kind != KindPing && f.Kind != KindPong) || len(f.Payload) != 8 {
		return time.Time{}, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(f.Payload))), true
}
