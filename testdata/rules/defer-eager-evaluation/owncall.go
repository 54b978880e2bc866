package eager

import (
	"fmt"
	"strings"
)

// annotate annotates a non-nil error with a description of the call that failed.
func annotate(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

func lookupVersion(path string) (string, error) {
	if path == "" {
		return "", fmt.Errorf("empty path")
	}
	return "v1.2.3", nil
}

// The message spells out Info's own call: path and vers as the caller passed them, even though
// "latest" is resolved afterwards.
func Info(path, vers string) (_ string, err error) {
	defer annotate(&err, "Info(%q, %q)", path, vers)
	if vers == "latest" {
		vers, err = lookupVersion(path)
		if err != nil {
			return "", err
		}
	}
	return path + "@" + vers, nil
}

// The message does not describe the call: the deferred annotate shows the stale count.
func countLines(text string) (n int, err error) {
	lines := 0
	defer annotate(&err, "after %d lines", lines) // want `defer annotate\(&err, "after %d lines", lines\) receives lines as it is at the defer statement`
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "!") {
			return lines, fmt.Errorf("bad line %q", l)
		}
		lines++
	}
	return lines, nil
}

// A local of the function, not a parameter, in a message naming the call: still the old value.
func Resolve(path string) (_ string, err error) {
	target := path
	defer annotate(&err, "Resolve(%q) via %q", path, target) // want `receives target as it is at the defer statement`
	if strings.HasSuffix(path, "/") {
		target = strings.TrimSuffix(path, "/")
	}
	if target == "" {
		return "", fmt.Errorf("empty target")
	}
	return target, nil
}
