package vcs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/clidevtools/internal/lockfile"
)

func (r *Repo) msgPath() string { return filepath.Join(r.metaDir(), "COMMIT_EDITMSG") }

// WriteCommitMessage writes the message template the editor will open.
func (r *Repo) WriteCommitMessage(msg string, trailers map[string]string) error {
	f, err := os.Create(r.msgPath())
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintln(f, strings.TrimSpace(msg)); err != nil {
		return err
	}
	if len(trailers) == 0 {
		return nil
	}
	keys := make([]string, 0, len(trailers))
	for k := range trailers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintln(f)
	for _, k := range keys {
		if _, err := fmt.Fprintf(f, "%s: %s\n", k, trailers[k]); err != nil {
			return err
		}
	}
	return nil
}

// WriteMessageFile writes a message through a buffered writer and reports
// flush and close errors.
func (r *Repo) WriteMessageFile(msg string) (err error) {
	f, err := os.Create(r.msgPath())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for _, line := range strings.Split(strings.TrimSpace(msg), "\n") {
		if _, err := bw.WriteString(strings.TrimRight(line, " ") + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadMessage reads back the edited message, dropping comment lines.
func (r *Repo) ReadMessage() (string, error) {
	f, err := os.Open(r.msgPath())
	if err != nil {
		return "", err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		lines = append(lines, sc.Text())
	}
	return strings.TrimSpace(strings.Join(lines, "\n")), sc.Err()
}

// EditMessage opens the message file in $EDITOR.
func (r *Repo) EditMessage(ctx context.Context) error {
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	cmd := exec.CommandContext(ctx, editor, r.msgPath())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}

func (r *Repo) logOp(op string, err error) {
	status := "ok"
	if err != nil {
		status = err.Error()
	}
	f, ferr := os.OpenFile(filepath.Join(r.metaDir(), "oplog"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if ferr != nil {
		return
	}
	fmt.Fprintf(f, "%s %s %s\n", time.Now().Format(time.RFC3339), op, status)
	f.Close()
}

// Commit records msg as a commit of the staged changes.
func (r *Repo) Commit(ctx context.Context, msg string) (err error) {
	defer r.logOp("commit", err) // HAZ defer-eager-evaluation
	if err = r.WriteCommitMessage(msg, nil); err != nil {
		return err
	}
	_, err = r.Git(ctx, "commit", "-F", r.msgPath())
	return err
}

// Amend rewrites the last commit; the closure reads err at exit time.
func (r *Repo) Amend(ctx context.Context, msg string) (err error) {
	defer func() { r.logOp("amend", err) }()
	if err = r.WriteMessageFile(msg); err != nil {
		return err
	}
	_, err = r.Git(ctx, "commit", "--amend", "-F", r.msgPath())
	return err
}

// Checkout switches branches under the repository lock.
func (r *Repo) Checkout(ctx context.Context, branch string) error {
	lf, err := lockfile.Acquire(r.lockPath())
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lf.Release(); rerr != nil {
			err = rerr
		}
	}()
	_, err = r.Git(ctx, "checkout", branch)
	if err == nil {
		r.SetBranch(branch)
	}
	return err
}

// Switch is Checkout with a named result, so the release error is kept.
func (r *Repo) Switch(ctx context.Context, branch string) (err error) {
	lf, err := lockfile.Acquire(r.lockPath())
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, lf.Release())
	}()
	if _, err = r.Git(ctx, "switch", branch); err != nil {
		return err
	}
	r.SetBranch(branch)
	return nil
}

// Tag creates an annotated tag; the message is snapshotted for the log on
// purpose and never changes afterwards.
func (r *Repo) Tag(ctx context.Context, name, msg string) error {
	note := fmt.Sprintf("tag %s", name)
	defer fmt.Fprintln(os.Stderr, "vcsh:", note)
	if !strings.HasPrefix(name, "v") {
		return fmt.Errorf("vcs: tag %q must start with v", name)
	}
	_, err := r.Git(ctx, "tag", "-a", name, "-m", msg)
	return err
}
