package protocol

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want Command
	}{
		{"NICK ada\r\n", Command{Verb: "NICK", Args: []string{"ada"}}},
		{"join #go", Command{Verb: "JOIN", Args: []string{"#go"}}},
		{"MSG #go hello   there", Command{Verb: "MSG", Args: []string{"#go"}, Text: "hello   there"}},
		{"PING", Command{Verb: "PING"}},
		{"QUIT bye now", Command{Verb: "QUIT", Text: "bye now"}},
	}
	for _, tc := range cases {
		got, err := Parse(tc.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.in, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}
