package server

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"example.com/ftpsrv/internal/fsys"
	"example.com/ftpsrv/internal/protocol"
)

// maxStatMatches bounds the work one STAT pattern can cause.
const maxStatMatches = 256

type statResult struct {
	name string
	fi   os.FileInfo
	err  error
}

// statMany stats names concurrently. Network file systems can hang on a
// single stat, so the whole call is bounded by timeout.
func statMany(names []string, timeout time.Duration) ([]statResult, error) {
	results := make(chan statResult, len(names))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, n := range names {
		go func() {
			fi, err := os.Lstat(n)
			results <- statResult{name: n, fi: fi, err: err}
		}()
	}

	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	out := make([]statResult, 0, len(names))
	for range names {
		select {
		case r := <-results:
			out = append(out, r)
		case <-deadline.C:
			return out, fmt.Errorf("stat timed out after %s (%d of %d done)", timeout, len(out), len(names))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// cmdSTAT without argument reports the session; with a path or pattern it
// lists the matching entries over the control connection.
func (h *handler) cmdSTAT(arg string) error {
	if arg == "" {
		c := h.sess.Counters()
		return h.conn.ReplyLines(protocol.CodeStatus, []string{
			"ftpsrv status:",
			" Logged in as " + h.user.Name,
			" Session: " + c.String(),
		})
	}
	host, virt, err := h.resolve(arg)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	matches, err := filepath.Glob(host)
	if err != nil || len(matches) == 0 {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s: no match", virt)
	}
	if len(matches) > maxStatMatches {
		matches = matches[:maxStatMatches]
	}
	results, err := statMany(matches, 5*time.Second)
	now := time.Now()
	lines := []string{"Status of " + virt + ":"}
	for _, r := range results {
		if r.err != nil {
			continue
		}
		e := fsys.Entry{Name: r.fi.Name(), Size: r.fi.Size(), Mode: r.fi.Mode(), ModTime: r.fi.ModTime()}
		lines = append(lines, " "+fsys.FormatLIST(e, now))
	}
	if err != nil {
		lines = append(lines, " (incomplete: "+err.Error()+")")
	}
	return h.conn.ReplyLines(protocol.CodeFileStatus, lines)
}
