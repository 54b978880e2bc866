package proto

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    Command
		wantErr error
	}{
		{"nick", "NICK alice\r\n", Command{Kind: KindNick, Arg: "alice"}, nil},
		{"lower verb", "join #go", Command{Kind: KindJoin, Arg: "#go"}, nil},
		{"msg keeps spaces", "MSG hello  there", Command{Kind: KindMsg, Arg: "hello  there"}, nil},
		{"history default", "HISTORY", Command{Kind: KindHistory}, nil},
		{"empty", "  \r\n", Command{}, ErrEmptyLine},
		{"unknown", "FROB x", Command{}, ErrUnknownCommand},
		{"bad room", "JOIN go", Command{}, ErrBadRoom},
		{"bad nick", "NICK 9lives", Command{}, ErrBadNick},
		{"msg needs text", "MSG", Command{}, ErrMissingArgument},
	}
	for _, tc := range tests {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.line)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want %v", tc.line, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.line, err)
			}
			if got != tc.want {
				t.Fatalf("Parse(%q) = %+v, want %+v", tc.line, got, tc.want)
			}
		})
	}
}

func TestMessageRoundTrip(t *testing.T) {
	in := Message{Room: "#go", From: "bob", Text: "hi there", At: time.UnixMilli(1700000000123)}
	out, err := DecodeMessage(in.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if out.Room != in.Room || out.From != in.From || out.Text != in.Text || !out.At.Equal(in.At) {
		t.Fatalf("round trip: got %+v, want %+v", out, in)
	}
}

func TestHistoryCount(t *testing.T) {
	if n := (Command{Kind: KindHistory, Arg: "500"}).HistoryCount(100); n != 100 {
		t.Fatalf("clamp: got %d", n)
	}
	if n := (Command{Kind: KindHistory}).HistoryCount(100); n != DefaultHistory {
		t.Fatalf("default: got %d", n)
	}
}
