package pubsub

import "strings"

// ValidTopic reports whether t can be published to: non-empty, no wildcards,
// no empty levels.
func ValidTopic(t string) bool {
	if t == "" || strings.ContainsAny(t, "+#") {
		return false
	}
	for _, lvl := range strings.Split(t, "/") {
		if lvl == "" {
			return false
		}
	}
	return true
}

// ValidFilter reports whether f is a well-formed subscription filter: "+" stands
// for one whole level, "#" only as the last level.
func ValidFilter(f string) bool {
	if f == "" {
		return false
	}
	levels := strings.Split(f, "/")
	for i, lvl := range levels {
		switch {
		case lvl == "#" && i != len(levels)-1:
			return false
		case lvl != "+" && lvl != "#" && strings.ContainsAny(lvl, "+#"):
			return false
		case lvl == "":
			return false
		}
	}
	return true
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
