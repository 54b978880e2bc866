// Package gitcmd runs the git binary on behalf of the hosting server.
package gitcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// DefaultTimeout bounds git invocations that do not stream.
const DefaultTimeout = 2 * time.Minute

// slowThreshold is the duration above which trace logs an operation.
const slowThreshold = 5 * time.Second

// Runner executes git with a fixed binary and a sanitised environment.
type Runner struct {
	Git     string
	Env     []string
	Timeout time.Duration
}

// NewRunner returns a Runner for the git binary at gitPath ("git" when empty).
func NewRunner(gitPath string) *Runner {
	if gitPath == "" {
		gitPath = "git"
	}
	return &Runner{
		Git:     gitPath,
		Env:     []string{"GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1"},
		Timeout: DefaultTimeout,
	}
}

// Error describes a failed git invocation.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("git %s: %v", strings.Join(e.Args, " "), e.Err)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Command prepares git args to run in dir. The process is killed when ctx is done.
func (r *Runner) Command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.Git, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), r.Env...)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Output runs git and returns its standard output; the run is bounded by r.Timeout.
func (r *Runner) Output(ctx context.Context, dir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := r.Command(ctx, dir, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &Error{Args: args, Stderr: strings.TrimSpace(stderr.String()), Err: err}
	}
	return out, nil
}

// Stream runs git with stdin and stdout attached and waits for it to exit.
func (r *Runner) Stream(ctx context.Context, dir string, stdin io.Reader, stdout io.Writer, args ...string) error {
	if len(args) == 0 {
		return errors.New("gitcmd: no subcommand")
	}
	defer trace("stream " + args[0])()
	var stderr bytes.Buffer
	cmd := r.Command(ctx, dir, args...)
	cmd.Stdin = stdin
	cmd.Stdout = stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return &Error{Args: args, Stderr: strings.TrimSpace(stderr.String()), Err: err}
	}
	return nil
}

// trace reports slow git operations. Use it as: defer trace("op")().
func trace(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > slowThreshold {
			log.Printf("gitcmd: %s took %v", op, d.Round(time.Millisecond))
		}
	}
}

// InitBare creates an empty bare repository at dir that accepts pushes over HTTP.
func (r *Runner) InitBare(ctx context.Context, dir string) error {
	defer trace("init " + dir)()
	if _, err := r.Output(ctx, "", "init", "--bare", "--quiet", dir); err != nil {
		return err
	}
	_, err := r.Output(ctx, dir, "config", "http.receivepack", "true")
	return err
}

// CloneMirror clones remote into dir as a bare mirror.
func (r *Runner) CloneMirror(ctx context.Context, remote, dir string) error {
	defer trace("clone " + remote) // HAZ defer-func-result-not-called
	if strings.HasPrefix(remote, "-") {
		return fmt.Errorf("gitcmd: refusing remote %q", remote)
	}
	_, err := r.Output(ctx, "", "clone", "--mirror", "--quiet", remote, dir)
	return err
}

// Fetch updates a mirror from its remotes, pruning deleted refs.
func (r *Runner) Fetch(ctx context.Context, dir string) error {
	defer trace("fetch " + dir)()
	_, err := r.Output(ctx, dir, "remote", "update", "--prune")
	return err
}

var revPattern = regexp.MustCompile(`^[A-Za-z0-9._/@^~-]{1,200}$`)

// ValidRev reports whether rev is safe to hand to git as a revision: no options, no ranges.
func ValidRev(rev string) bool {
	return revPattern.MatchString(rev) && !strings.HasPrefix(rev, "-") && !strings.Contains(rev, "..")
}

// RevParse resolves rev to the full id of a commit.
func (r *Runner) RevParse(ctx context.Context, dir, rev string) (string, error) {
	if !ValidRev(rev) {
		return "", fmt.Errorf("gitcmd: invalid revision %q", rev)
	}
	out, err := r.Output(ctx, dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// Refs lists the refs of the repository at dir as refname -> object id.
func (r *Runner) Refs(ctx context.Context, dir string) (map[string]string, error) {
	out, err := r.Output(ctx, dir, "for-each-ref", "--format=%(objectname) %(refname)")
	if err != nil {
		return nil, err
	}
	refs := make(map[string]string)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if id, name, ok := strings.Cut(line, " "); ok {
			refs[name] = id
		}
	}
	return refs, nil
}

// cmdReader is the stdout of a running git process; Close reaps the process.
type cmdReader struct {
	io.ReadCloser
	cmd *exec.Cmd
}

func (c *cmdReader) Close() error {
	err := c.ReadCloser.Close()
	if werr := c.cmd.Wait(); werr != nil && err == nil {
		err = werr
	}
	return err
}

// CatBlob streams the blob named by spec ("rev:path"). The caller must Close the
// reader, which also waits for git.
func (r *Runner) CatBlob(ctx context.Context, dir, spec string) (io.ReadCloser, error) {
	if _, err := r.Output(ctx, dir, "cat-file", "-e", spec); err != nil {
		return nil, err
	}
	cmd := r.Command(ctx, dir, "cat-file", "blob", spec)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &cmdReader{ReadCloser: out, cmd: cmd}, nil
}

// WithTempIndex runs fn with GIT_INDEX_FILE pointing at a scratch index, so that
// tree-building plumbing does not need a work tree.
func (r *Runner) WithTempIndex(fn func(env []string) error) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	f, err := os.CreateTemp("", "githost-index-*")
	if err != nil {
		return err
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		return err
	}
	cleanup = func() { os.Remove(name) }
	return fn(append(append(os.Environ(), r.Env...), "GIT_INDEX_FILE="+name))
}

// Version returns the version string of the configured git binary.
func (r *Runner) Version(ctx context.Context) (string, error) {
	out, err := r.Output(ctx, "", "version")
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "git version "), nil
}
