package protocol

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	in := Frame{Kind: KindChat, Seq: 42, Payload: []byte(`{"text":"gg"}`)}
	if err := WriteFrame(&buf, in); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != in.Size() {
		t.Fatalf("wrote %d bytes, want %d", buf.Len(), in.Size())
	}
	out, err := ReadFrame(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if out.Kind != in.Kind || out.Seq != in.Seq || !bytes.Equal(out.Payload, in.Payload) {
		t.Fatalf("got %+v, want %+v", out, in)
	}
}

func TestReadFrameRejectsOversizedPayload(t *testing.T) {
	hdr := []byte{byte(KindState), 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff}
	_, err := ReadFrame(bytes.NewReader(hdr))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestKindString(t *testing.T) {
	cases := []struct {
		kind Kind
		want string
	}{
		{KindHello, "hello"},
		{KindState, "state"},
		{KindBye, "bye"},
		{Kind(99), "kind(99)"},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := tc.kind.String(); got != tc.want {
				t.Errorf("Kind(%d).String() = %q, want %q", uint8(tc.kind), got, tc.want)
			}
		})
	}
}

func TestPingTime(t *testing.T) {
	now := time.Unix(1700000000, 123456789)
	got, ok := PingTime(Pong(Ping(7, now)))
	if !ok || !got.Equal(now) {
		t.Fatalf("PingTime = %v, %v; want %v, true", got, ok, now)
	}
}

func TestSanitizeChat(t *testing.T) {
	long := strings.Repeat("x", MaxChatRunes+50)
	if got := SanitizeChat(long); len([]rune(got)) != MaxChatRunes {
		t.Errorf("long line kept %d runes", len([]rune(got)))
	}
	if got := SanitizeChat("  hi\x07 there\n"); got != "hi there" {
		t.Errorf("SanitizeChat = %q", got)
	}
}
