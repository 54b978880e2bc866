package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/pager"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

// signature builds the author identity from config and environment.
func signature(r *repo.Repo) object.Signature {
	name := r.Config.GetDefault("user.name", os.Getenv("VCS_AUTHOR_NAME"))
	email := r.Config.GetDefault("user.email", os.Getenv("VCS_AUTHOR_EMAIL"))
	if name == "" {
		name = os.Getenv("USER")
	}
	if email == "" {
		host, _ := os.Hostname()
		email = name + "@" + host
	}
	return object.Signature{Name: name, Email: email, When: time.Now()}
}

// editMessage writes the commit template to COMMIT_EDITMSG and opens the
// user's editor on it. It returns the file's path.
func editMessage(r *repo.Repo) (string, error) {
	path := filepath.Join(r.Dir, "COMMIT_EDITMSG")
	tmpl, err := r.PendingMessage()
	if err != nil {
		return "", err
	}
	tmpl += "\n# Please enter the commit message for your changes. Lines starting\n# with '#' will be ignored, and an empty message aborts the commit.\n"
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		return "", err
	}
	editor := r.Config.GetDefault("core.editor", os.Getenv("EDITOR"))
	if editor == "" {
		editor = "vi"
	}
	argv := strings.Fields(editor)
	cmd := exec.Command(argv[0], append(argv[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("there was a problem with the editor '%s': %w", editor, err)
	}
	return path, nil
}

// readMessage reads the edited message, dropping comment lines.
func readMessage(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var keep []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "#") {
			keep = append(keep, strings.TrimRight(line, " \t"))
		}
	}
	return strings.TrimSpace(strings.Join(keep, "\n")) + "\n", nil
}

func cmdCommit(env *cli.Env, args []string) int {
	fs := newFlags(env, "commit", "[-m <msg>] [--amend]")
	msg := fs.String("m", "", "use the given message as the commit message")
	amend := fs.Bool("amend", false, "replace the tip of the current branch")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	text := *msg
	if text == "" {
		path, err := editMessage(r)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		cleanup = func() { os.Remove(path) }
		if text, err = readMessage(path); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	}
	if strings.TrimSpace(text) == "" {
		fmt.Fprintln(env.Stderr, "Aborting commit due to empty commit message.")
		return cli.ExitError
	}
	ctx := context.Background()
	who := signature(r)
	var id object.ID
	var err error
	if *amend {
		id, err = r.Amend(ctx, text, who)
	} else {
		id, err = r.Commit(ctx, text, who)
	}
	if errors.Is(err, repo.ErrNothingToCommit) {
		fmt.Fprintln(env.Stdout, err)
		return cli.ExitError
	}
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	subject, _, _ := strings.Cut(text, "\n")
	fmt.Fprintf(env.Stdout, "[%s] %s\n", id.Short(), subject)
	return cli.ExitOK
}

func cmdStatus(env *cli.Env, args []string) int {
	fs := newFlags(env, "status", "[--short] [--exit-code]")
	short := fs.Bool("short", false, "give the output in the short format")
	exitCode := fs.Bool("exit-code", false, "exit with status 1 when there are changes")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	changes, err := r.Status()
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if branch, err := r.CurrentBranch(); err == nil && !*short {
		fmt.Fprintf(env.Stdout, "On branch %s\n", strings.TrimPrefix(branch, "refs/heads/"))
	}
	for _, ch := range changes {
		if *short {
			fmt.Fprintf(env.Stdout, "%c %s\n", "?MD?"[ch.Kind%4], ch.Path)
			continue
		}
		fmt.Fprintf(env.Stdout, "\t%-10s %s\n", ch.Kind.String()+":", ch.Path)
	}
	if len(changes) == 0 && !*short {
		fmt.Fprintln(env.Stdout, "nothing to commit, working tree clean")
	}
	if *exitCode && len(changes) > 0 {
		return cli.ExitError
	}
	return cli.ExitOK
}

func printCommit(w io.Writer, id object.ID, c *object.Commit, oneline bool) error {
	subject, _, _ := strings.Cut(c.Message, "\n")
	if oneline {
		_, err := fmt.Fprintf(w, "%s %s\n", id.Short(), subject)
		return err
	}
	_, err := fmt.Fprintf(w, "commit %s\nAuthor: %s <%s>\nDate:   %s\n\n    %s\n\n",
		id, c.Author.Name, c.Author.Email, c.Author.When.Format("Mon Jan 2 15:04:05 2006 -0700"),
		strings.ReplaceAll(strings.TrimRight(c.Message, "\n"), "\n", "\n    "))
	return err
}

func cmdLog(env *cli.Env, args []string) int {
	fs := newFlags(env, "log", "[-n <count>] [--oneline]")
	limit := fs.Int("n", 0, "limit the number of commits to output")
	oneline := fs.Bool("oneline", false, "one line per commit")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	head, err := r.Head()
	if errors.Is(err, refs.ErrNotFound) {
		fmt.Fprintln(env.Stderr, "fatal: your current branch does not have any commits yet")
		return cli.ExitFatal
	}
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	show := func(w io.Writer) error {
		return r.Log(head, *limit, func(id object.ID, c *object.Commit) error {
			return printCommit(w, id, c, *oneline)
		})
	}
	if out, ok := env.Stdout.(*os.File); ok {
		err = pager.RunPaged(out, show)
	} else {
		err = show(env.Stdout)
	}
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}
