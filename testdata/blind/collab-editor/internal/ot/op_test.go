package ot

import (
	"errors"
	"testing"
)

func TestApply(t *testing.T) {
	cases := []struct {
		name string
		text string
		op   Op
		want string
	}{
		{"insert start", "world", Op{Kind: Insert, Pos: 0, Text: "hello "}, "hello world"},
		{"insert end", "hello", Op{Kind: Insert, Pos: 5, Text: "!"}, "hello!"},
		{"insert multibyte", "héllo", Op{Kind: Insert, Pos: 2, Text: "—"}, "hé—llo"},
		{"delete middle", "hello world", Op{Kind: Delete, Pos: 5, Len: 6}, "hello"},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Apply(tc.text, tc.op)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if got != tc.want {
				t.Fatalf("Apply = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestApplyOutOfRange(t *testing.T) {
	_, err := Apply("abc", Op{Kind: Delete, Pos: 2, Len: 5})
	if !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("err = %v, want ErrOutOfRange", err)
	}
}

func TestTransformConverges(t *testing.T) {
	base := "collaborate"
	a := Op{Kind: Insert, Pos: 3, Text: "X", Client: "alice"}
	b := Op{Kind: Delete, Pos: 1, Len: 4, Client: "bob"}

	left, err := Apply(base, a)
	if err != nil {
		t.Fatal(err)
	}
	left, err = Apply(left, Transform(b, a))
	if err != nil {
		t.Fatal(err)
	}
	right, err := Apply(base, b)
	if err != nil {
		t.Fatal(err)
	}
	right, err = Apply(right, Transform(a, b))
	if err != nil {
		t.Fatal(err)
	}
	if left != right {
		t.Fatalf("diverged: %q vs %q", left, right)
	}
}

func TestInvertRoundTrip(t *testing.T) {
	before := "undo me please"
	op := Op{Kind: Delete, Pos: 5, Len: 3, Client: "c"}
	after, err := Apply(before, op)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Invert(op, before)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Apply(after, inv)
	if err != nil {
		t.Fatal(err)
	}
	if back != before {
		t.Fatalf("round trip = %q, want %q", back, before)
	}
}
