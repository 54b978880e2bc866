package gitcmd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// Batch is a running "git cat-file --batch" process.
type Batch struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// StartBatch starts a cat-file process for reading many objects of dir.
func (r *Runner) StartBatch(ctx context.Context, dir string) (*Batch, error) {
	cmd := r.Command(ctx, dir, "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &Batch{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

// Get returns the type and content of one object.
func (b *Batch) Get(id string) (typ string, data []byte, err error) {
	if _, err := fmt.Fprintln(b.in, id); err != nil {
		return "", nil, err
	}
	header, err := b.out.ReadString('\n')
	if err != nil {
		return "", nil, err
	}
	fields := strings.Fields(header)
	if len(fields) == 2 && fields[1] == "missing" {
		return "", nil, fmt.Errorf("object %s missing", id)
	}
	if len(fields) != 3 {
		return "", nil, fmt.Errorf("cat-file: bad header %q", header)
	}
	size, err := strconv.Atoi(fields[2])
	if err != nil {
		return "", nil, err
	}
	data = make([]byte, size+1) // the content and its trailing newline
	if _, err := io.ReadFull(b.out, data); err != nil {
		return "", nil, err
	}
	return fields[1], data[:size], nil
}

// Close ends the cat-file process: closing its input makes it exit.
func (b *Batch) Close() error {
	if err := b.in.Close(); err != nil {
		return err
	}
	return b.cmd.Wait()
}

// ReadObjects reads several objects through one cat-file process.
func (r *Runner) ReadObjects(ctx context.Context, dir string, ids []string) (map[string][]byte, error) {
	b, err := r.StartBatch(ctx, dir)
	defer b.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	objs := make(map[string][]byte, len(ids))
	for _, id := range ids {
		_, data, err := b.Get(id)
		if err != nil {
			return nil, err
		}
		objs[id] = data
	}
	return objs, nil
}

// CommitMessages returns the message of each commit id.
func (r *Runner) CommitMessages(ctx context.Context, dir string, ids []string) (map[string]string, error) {
	b, err := r.StartBatch(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	msgs := make(map[string]string, len(ids))
	for _, id := range ids {
		typ, data, err := b.Get(id)
		if err != nil {
			return nil, err
		}
		if typ != "commit" {
			return nil, fmt.Errorf("%s is a %s, not a commit", id, typ)
		}
		if _, msg, ok := strings.Cut(string(data), "\n\n"); ok {
			msgs[id] = strings.TrimSpace(msg)
		}
	}
	return msgs, nil
}

// ArchiveTo writes "git archive --format=tar" of rev to w.
func (r *Runner) ArchiveTo(ctx context.Context, dir, rev string, w io.Writer) error {
	if !ValidRev(rev) {
		return fmt.Errorf("gitcmd: invalid revision %q", rev)
	}
	cmd := r.Command(ctx, dir, "archive", "--format=tar", rev)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	_, err = io.Copy(w, out)
	return err
}

// LsRemote lists the branches of a remote without cloning it.
func (r *Runner) LsRemote(ctx context.Context, remote string) (map[string]string, error) {
	defer trace("ls-remote " + remote)()
	if strings.HasPrefix(remote, "-") {
		return nil, fmt.Errorf("gitcmd: refusing remote %q", remote)
	}
	out, err := r.Output(ctx, "", "ls-remote", "--heads", remote)
	if err != nil {
		return nil, err
	}
	heads := make(map[string]string)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if id, ref, ok := strings.Cut(line, "\t"); ok {
			heads[ref] = id
		}
	}
	return heads, nil
}
