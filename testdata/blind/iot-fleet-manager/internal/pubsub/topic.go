package pubsub

import (
	"errors"
	"strings"
)

// ValidateFilter checks an MQTT-style topic filter: levels separated by
// '/', '+' matches one level, '#' matches the rest and must come last.
func ValidateFilter(filter string) error {
	if filter == "" {
		return errors.New("pubsub: empty filter")
	}
	levels := strings.Split(filter, "/")
	for i, l := range levels {
		switch {
		case l == "#" && i != len(levels)-1:
			return errors.New("pubsub: '#' must be the last level")
		case l != "#" && l != "+" && strings.ContainsAny(l, "#+"):
			return errors.New("pubsub: wildcards must fill a whole level")
		}
	}
	return nil
}

// Match reports whether topic matches filter.
func Match(filter, topic string) bool {
	fl := strings.Split(filter, "/")
	tl := strings.Split(topic, "/")
	for i, f := range fl {
		if f == "#" {
			return true
		}
		if i >= len(tl) {
			return false
		}
		if f != "+" && f != tl[i] {
			return false
		}
	}
	return len(fl) == len(tl)
}
