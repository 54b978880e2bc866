package anticheat

import (
	"errors"
	"io"
	"log"
	"math"
	"testing"

	"example.com/gamesrv/internal/protocol"
)

func TestCheckConvertsPanics(t *testing.T) {
	c := NewChecker(log.New(io.Discard, "", 0))
	err := c.Check("mallory", protocol.Input{}, protocol.Input{Seq: 1, DX: math.NaN()}, tickDT)
	var v *Violation
	if !errors.As(err, &v) || v.Rule != "malformed" {
		t.Fatalf("err = %v, want malformed violation", err)
	}
}

func TestCheckSpeed(t *testing.T) {
	c := NewChecker(log.New(io.Discard, "", 0))
	err := c.Check("speedy", protocol.Input{Seq: 1}, protocol.Input{Seq: 2, DX: 3}, tickDT)
	var v *Violation
	if !errors.As(err, &v) || v.Rule != "speed" {
		t.Fatalf("err = %v, want speed violation", err)
	}
	if err := c.Check("honest", protocol.Input{Seq: 1}, protocol.Input{Seq: 2, DX: 0.6, DY: 0.8, AimX: 0.5}, tickDT); err != nil {
		t.Fatalf("honest input flagged: %v", err)
	}
}
