package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	cases := []*Message{
		{Kind: KindPing, Seq: 1, From: "node-a"},
		{Kind: KindSuspect, Seq: 7, Incarnation: 3, From: "node-b", Target: "node-c"},
		{Kind: KindUser, Seq: 42, From: "node-a", Payload: []byte("color=blue")},
	}
	for _, want := range cases {
		var buf bytes.Buffer
		if err := WriteFrame(&buf, want); err != nil {
			t.Fatalf("WriteFrame(%v): %v", want.Kind, err)
		}
		got, err := ReadFrame(&buf)
		if err != nil {
			t.Fatalf("ReadFrame(%v): %v", want.Kind, err)
		}
		if got.Kind != want.Kind || got.Seq != want.Seq || got.From != want.From ||
			got.Target != want.Target || !bytes.Equal(got.Payload, want.Payload) {
			t.Errorf("round trip: got %+v, want %+v", got, want)
		}
	}
}

func TestReadFrameTooLarge(t *testing.T) {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], MaxFrame+1)
	_, err := ReadFrame(bytes.NewReader(hdr[:]))
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("got %v, want ErrFrameTooLarge", err)
	}
}

func TestKindString(t *testing.T) {
	cases := []struct {
		k    Kind
		want string
	}{
		{KindPing, "ping"},
		{KindPushPull, "push-pull"},
		{Kind(99), "kind(99)"},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := tc.k.String(); got != tc.want {
				t.Errorf("Kind(%d).String() = %q, want %q", uint8(tc.k), got, tc.want)
			}
		})
	}
}
