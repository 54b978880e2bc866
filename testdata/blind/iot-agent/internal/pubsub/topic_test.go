package pubsub

import "testing"

func TestMatch(t *testing.T) {
	cases := []struct {
		filter, topic string
		want          bool
	}{
		{"devices/+/telemetry", "devices/d1/telemetry", true},
		{"devices/+/telemetry", "devices/d1/cmd", false},
		{"devices/#", "devices/d1/telemetry/temp", true},
		{"devices/d1", "devices/d1/telemetry", false},
		{"#", "anything/at/all", true},
	}
	for _, c := range cases {
		t.Run(c.filter+"~"+c.topic, func(t *testing.T) {
			if got := Match(c.filter, c.topic); got != c.want {
				t.Errorf("Match(%q, %q) = %v, want %v", c.filter, c.topic, got, c.want)
			}
		})
	}
}

func TestValidTopic(t *testing.T) {
	for topic, want := range map[string]bool{
		"devices/d1/telemetry": true,
		"devices/+/telemetry":  false,
		"devices//telemetry":   false,
		"":                     false,
	} {
		if got := ValidTopic(topic); got != want {
			t.Errorf("ValidTopic(%q) = %v", topic, got)
		}
	}
}

func TestValidFilter(t *testing.T) {
	for filter, want := range map[string]bool{
		"devices/+/cmd": true,
		"devices/#":     true,
		"devices/#/cmd": false,
		"dev+ices/cmd":  false,
	} {
		if got := ValidFilter(filter); got != want {
			t.Errorf("ValidFilter(%q) = %v", filter, got)
		}
	}
}
