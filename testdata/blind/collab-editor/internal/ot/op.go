// Package ot implements the operational-transform primitives used by the
// per-document merge loop: inserts and deletes addressed by rune offset.
package ot

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Kind is the type of an edit.
type Kind uint8

const (
	// Insert inserts Text at Pos.
	Insert Kind = iota + 1
	// Delete removes Len runes starting at Pos.
	Delete
)

// ErrOutOfRange is returned when an operation addresses runes past the end
// of the document.
var ErrOutOfRange = errors.New("ot: operation out of range")

// Op is one edit made by a client against a known document version.
type Op struct {
	Kind   Kind   `json:"kind"`
	Pos    int    `json:"pos"`
	Text   string `json:"text,omitempty"`
	Len    int    `json:"len,omitempty"`
	Base   uint64 `json:"base"`
	Client string `json:"client"`
	Seq    uint64 `json:"seq"`
}

// String returns the lower-case name of the kind.
func (k Kind) String() string {
	switch k {
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	default:
		return fmt.Sprintf("kind(%d)", uint8(k))
	}
}

// Apply returns text with op applied.
func Apply(text string, op Op) (string, error) {
	runes := []rune(text)
	switch op.Kind {
	case Insert:
		if op.Pos < 0 || op.Pos > len(runes) {
			return "", fmt.Errorf("%w: insert at %d of %d", ErrOutOfRange, op.Pos, len(runes))
		}
		var b strings.Builder
		b.Grow(len(text) + len(op.Text))
		b.WriteString(string(runes[:op.Pos]))
		b.WriteString(op.Text)
		b.WriteString(string(runes[op.Pos:]))
		return b.String(), nil
	case Delete:
		if op.Pos < 0 || op.Len < 0 || op.Pos+op.Len > len(runes) {
			return "", fmt.Errorf("%w: delete %d at %d of %d", ErrOutOfRange, op.Len, op.Pos, len(runes))
		}
		return string(runes[:op.Pos]) + string(runes[op.Pos+op.Len:]), nil
	}
	return "", fmt.Errorf("ot: unknown kind %v", op.Kind)
}

// Transform rewrites a so that it has the same intent when applied after b.
// Both operations must have been made against the same document state.
// Ties between inserts at the same position are broken by client id so that
// every replica converges.
func Transform(a, b Op) Op {
	switch b.Kind {
	case Insert:
		n := utf8.RuneCountInString(b.Text)
		switch {
		case a.Kind == Delete && b.Pos > a.Pos && b.Pos < a.Pos+a.Len:
			// b inserted inside the range a deletes: delete it too.
			a.Len += n
		case b.Pos < a.Pos || (b.Pos == a.Pos && b.Client < a.Client):
			a.Pos += n
		}
	case Delete:
		end := b.Pos + b.Len
		switch {
		case end <= a.Pos:
			a.Pos -= b.Len
		case b.Pos < a.Pos:
			// a starts inside the deleted range.
			if a.Kind == Delete {
				aEnd := a.Pos + a.Len
				a.Len = max(0, aEnd-end)
			} else {
				a.Text = "" // the text a inserted into is gone
			}
			a.Pos = b.Pos
		case a.Kind == Delete && a.Pos+a.Len > b.Pos:
			// b removes part of what a wanted to remove.
			a.Len -= min(a.Pos+a.Len, end) - b.Pos
		}
	}
	return a
}

// TransformAll transforms op against every operation in history, in order.
func TransformAll(op Op, history []Op) Op {
	for _, h := range history {
		if h.Client == op.Client {
			continue
		}
		op = Transform(op, h)
	}
	return op
}

// Invert returns the operation that undoes op. before is the document text
// op was applied to; it supplies the runes a delete removed.
func Invert(op Op, before string) (Op, error) {
	switch op.Kind {
	case Insert:
		return Op{Kind: Delete, Pos: op.Pos, Len: utf8.RuneCountInString(op.Text), Client: op.Client}, nil
	case Delete:
		runes := []rune(before)
		if op.Pos < 0 || op.Pos+op.Len > len(runes) {
			return Op{}, fmt.Errorf("%w: invert delete %d at %d", ErrOutOfRange, op.Len, op.Pos)
		}
		return Op{Kind: Insert, Pos: op.Pos, Text: string(runes[op.Pos : op.Pos+op.Len]), Client: op.Client}, nil
	}
	return Op{}, fmt.Errorf("ot: cannot invert kind %v", op.Kind)
}

// Noop reports whether op changes nothing.
func (o Op) Noop() bool {
	return (o.Kind == Insert && o.Text == "") || (o.Kind == Delete && o.Len == 0)
}
