package bidstream

import "testing"

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{"12": 1200, "12.5": 1250, "0.07": 7} {
		got, err := ParseAmount(in)
		if err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "1.234", "abc"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) succeeded", bad)
		}
	}
}

func TestParseCommand(t *testing.T) {
	cmd, err := ParseCommand("bid L7 12.50")
	if err != nil || cmd.Verb != "BID" || cmd.Lot != "L7" || cmd.Amount != 1250 {
		t.Fatalf("got %+v, %v", cmd, err)
	}
	if _, err := ParseCommand("SELL L7"); err == nil {
		t.Fatal("unknown verb accepted")
	}
}
