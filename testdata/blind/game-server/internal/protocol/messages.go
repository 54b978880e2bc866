package protocol

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Version is the protocol version spoken by this server.
const Version = 3

// Hello is the first frame a client sends.
type Hello struct {
	PlayerID string `json:"player_id"`
	Token    string `json:"token"`
	Version  int    `json:"version"`
}

// Welcome answers a valid Hello.
type Welcome struct {
	SessionID string `json:"session_id"`
	TickRate  int    `json:"tick_rate"`
}

// Input is one sampled client input; clients send them at their frame rate
// and the server applies the latest ones at each tick.
type Input struct {
	Seq  uint32  `json:"seq"`
	Tick uint64  `json:"tick"`
	DX   float64 `json:"dx"`
	DY   float64 `json:"dy"`
	AimX float64 `json:"aim_x"`
	AimY float64 `json:"aim_y"`
	Fire bool    `json:"fire"`
}

// Encode marshals v as the payload of a frame of the given type.
func Encode(typ byte, v any) (Frame, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return Frame{}, fmt.Errorf("protocol: encode %s: %w", TypeName(typ), err)
	}
	if len(payload) > MaxPayload {
		return Frame{}, ErrFrameTooLarge
	}
	return Frame{Type: typ, Payload: payload}, nil
}

// Decode checks the frame type and unmarshals its payload into v.
func Decode(f Frame, want byte, v any) error {
	if f.Type != want {
		return fmt.Errorf("protocol: got %s frame, want %s", TypeName(f.Type), TypeName(want))
	}
	if err := json.Unmarshal(f.Payload, v); err != nil {
		return fmt.Errorf("protocol: decode %s: %w", TypeName(want), err)
	}
	return nil
}

// DecodeHello decodes and validates a Hello frame.
func DecodeHello(f Frame) (Hello, error) {
	var h Hello
	if err := Decode(f, TypeHello, &h); err != nil {
		return Hello{}, err
	}
	if h.PlayerID == "" || len(h.PlayerID) > 64 {
		return Hello{}, errors.New("protocol: invalid player id")
	}
	if h.Version != Version {
		return Hello{}, fmt.Errorf("protocol: client speaks v%d, server v%d", h.Version, Version)
	}
	return h, nil
}

// DecodeInput decodes an Input frame. Values are not range checked here:
// that is the anti-cheat's job, which needs to see the raw values.
func DecodeInput(f Frame) (Input, error) {
	var in Input
	if err := Decode(f, TypeInput, &in); err != nil {
		return Input{}, err
	}
	if math.IsInf(in.DX, 0) || math.IsInf(in.DY, 0) {
		return Input{}, errors.New("protocol: infinite movement vector")
	}
	return in, nil
}
