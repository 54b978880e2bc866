package vcs

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// StatusEntry is one line of `git status --porcelain`.
type StatusEntry struct {
	Index, Work byte
	Path        string
	Orig        string
}

// Status is a parsed status listing.
type Status []StatusEntry

// ParseStatus parses porcelain v1 output.
func ParseStatus(out string) Status {
	var st Status
	for _, line := range strings.Split(out, "\n") {
		if len(line) < 4 {
			continue
		}
		e := StatusEntry{Index: line[0], Work: line[1], Path: line[3:]}
		if from, to, ok := strings.Cut(e.Path, " -> "); ok {
			e.Orig, e.Path = from, to
		}
		st = append(st, e)
	}
	return st
}

// String renders an entry the way vcsh prints it.
func (e StatusEntry) String() string {
	if e.Orig != "" {
		return fmt.Sprintf("%c%c %s -> %s", e.Index, e.Work, e.Orig, e.Path)
	}
	return fmt.Sprintf("%c%c %s", e.Index, e.Work, e.Path)
}

// Staged reports whether the entry has staged changes.
func (e StatusEntry) Staged() bool { return e.Index != ' ' && e.Index != '?' }

// Untracked reports whether the entry is untracked.
func (e StatusEntry) Untracked() bool { return e.Index == '?' }

// Counts returns staged, modified and untracked counts.
func (s Status) Counts() (staged, modified, untracked int) {
	for _, e := range s {
		switch {
		case e.Untracked():
			untracked++
		case e.Staged():
			staged++
		default:
			modified++
		}
	}
	return
}

// Paths returns the sorted paths of the listing.
func (s Status) Paths() []string {
	out := make([]string, len(s))
	for i, e := range s {
		out[i] = e.Path
	}
	sort.Strings(out)
	return out
}

// Clean reports whether there is nothing to commit.
func (s Status) Clean() bool { return len(s) == 0 }

// StatusWithBranch runs status and branch lookup concurrently.
func (r *Repo) StatusWithBranch(ctx context.Context) (Status, string, error) {
	branchCh := make(chan string)
	go func() {
		out, _ := r.Git(ctx, "rev-parse", "--abbrev-ref", "HEAD")
		branchCh <- out // HAZ goroutine-blocked-send
	}()
	out, err := r.Git(ctx, "status", "--porcelain")
	if err != nil {
		return nil, "", err
	}
	return ParseStatus(out), <-branchCh, nil
}

// StatusAndHead is StatusWithBranch with a buffered result channel, so the
// lookup goroutine finishes even when status fails.
func (r *Repo) StatusAndHead(ctx context.Context) (Status, string, error) {
	headCh := make(chan string, 1)
	go func() {
		out, _ := r.Git(ctx, "rev-parse", "HEAD")
		headCh <- out
	}()
	out, err := r.Git(ctx, "status", "--porcelain")
	if err != nil {
		return nil, "", err
	}
	return ParseStatus(out), <-headCh, nil
}

// AheadBehind returns how many commits HEAD is ahead and behind upstream.
func (r *Repo) AheadBehind(ctx context.Context) (ahead, behind int, err error) {
	out, err := r.Git(ctx, "rev-list", "--left-right", "--count", "HEAD...@{upstream}")
	if err != nil {
		return 0, 0, err
	}
	_, err = fmt.Sscanf(out, "%d %d", &ahead, &behind)
	return ahead, behind, err
}
