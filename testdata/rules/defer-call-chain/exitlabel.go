package callchain

import (
	"fmt"
	"io"
	"os"
)

type diskUsage struct {
	name  string
	bytes int64
	files int
}

func (u diskUsage) report(w io.Writer, label string) {
	fmt.Fprintf(w, "%s %s: %d bytes in %d files\n", u.name, label, u.bytes, u.files)
}

type repoTool struct {
	out io.Writer
}

func (t *repoTool) measureDir(dir string) diskUsage {
	entries, _ := os.ReadDir(dir)
	u := diskUsage{name: dir, files: len(entries)}
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			u.bytes += info.Size()
		}
	}
	return u
}

// The usage is measured at the defer statement; "after prune" prints the state before pruning.
func (t *repoTool) prune(dir string) error {
	t.measureDir(dir).report(t.out, "before prune")
	defer t.measureDir(dir).report(t.out, "after prune") // want `in defer t\.measureDir\(dir\)\.report\(t\.out, "after prune"\), t\.measureDir\(dir\) runs now, at the defer statement, and hands back a copy of the state`
	return os.RemoveAll(dir + "/tmp")
}

// A label about the start: measuring now is the point.
func (t *repoTool) pruneNoted(dir string) error {
	defer t.measureDir(dir).report(t.out, "at start")
	return os.RemoveAll(dir + "/tmp")
}

// Measured at exit: the whole chain in a closure.
func (t *repoTool) pruneFixed(dir string) error {
	defer func() { t.measureDir(dir).report(t.out, "after prune") }()
	return os.RemoveAll(dir + "/tmp")
}
