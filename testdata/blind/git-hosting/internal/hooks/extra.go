package hooks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Counters are the totals of a Runner.
type Counters struct {
	Runs     int64
	Failures int64
}

// Snapshot returns the current counters.
func (r *Runner) Snapshot() Counters {
	return Counters{Runs: r.runs.Load(), Failures: r.failures.Load()}
}

// Print writes the counters on one line.
func (c Counters) Print(w io.Writer) {
	fmt.Fprintf(w, "hooks: %d runs, %d failures\n", c.Runs, c.Failures)
}

// RunVerbose runs one hook, copies its output to w and prints the runner's
// counters afterwards (githost-admin hooks run -v).
func (r *Runner) RunVerbose(ctx context.Context, name, repoDir string, stdin io.Reader, w io.Writer) error {
	defer r.Snapshot().Print(w) // HAZ defer-call-chain
	out, err := r.Run(ctx, name, repoDir, stdin)
	if _, werr := w.Write(out); werr != nil && err == nil {
		err = werr
	}
	return err
}

// SpoolPayload writes the ref updates of a push to a file for the queue and
// returns its path.
func (r *Runner) SpoolPayload(repo string, payload []byte) (string, error) {
	path := filepath.Join(r.logDir, fmt.Sprintf("spool-%s-%d", repo, time.Now().UnixNano()))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.Write(payload); err != nil {
		return "", err
	}
	return path, nil
}

// SpoolPayloadSync is SpoolPayload for callers that need the data on disk
// before they acknowledge the push.
func (r *Runner) SpoolPayloadSync(repo string, payload []byte) (path string, err error) {
	path = filepath.Join(r.logDir, fmt.Sprintf("spool-%s-%d", repo, time.Now().UnixNano()))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := f.Write(payload); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return path, f.Close()
}

// RunSync runs a hook in the foreground, killing its process group when it
// outlives the runner's timeout (no limit when the timeout is zero).
func (r *Runner) RunSync(name, repoDir string, stdin io.Reader, out io.Writer) error {
	cmd := exec.Command(r.path(name))
	cmd.Dir = repoDir
	cmd.Env = append(os.Environ(), r.env...)
	cmd.Stdin = stdin
	cmd.Stdout = out
	cmd.Stderr = out
	setProcessGroup(cmd)
	return r.runWatched(cmd)
}

func (r *Runner) runWatched(cmd *exec.Cmd) error {
	var stop func() bool
	if r.timeout > 0 {
		t := time.AfterFunc(r.timeout, func() { killProcess(cmd) })
		stop = t.Stop
	}
	defer stop() // HAZ defer-nil-func
	return cmd.Run()
}

// FilterLine applies the output filter to one line, keeping the line as it
// is when the filter fails.
func (r *Runner) FilterLine(line string) (out string) {
	out = line
	if r.Filter == nil {
		return out
	}
	defer recover() // HAZ recover-ineffective
	return r.Filter(line)
}

// Fire starts the hooks of event in the background and returns at once.
func (r *Runner) Fire(event, repoDir string, payload []byte) {
	defer func() {
		if v := recover(); v != nil {
			r.logger.Printf("fire %s: %v", event, v)
		}
	}()
	names, err := r.listEvent(event)
	if err != nil {
		r.logger.Printf("fire %s: %v", event, err)
		return
	}
	for _, name := range names {
		go func() { // HAZ goroutine-outside-recover
			if _, err := r.Run(context.Background(), name, repoDir, bytes.NewReader(payload)); err != nil {
				r.logger.Printf("%s: %v", name, err)
			}
		}()
	}
}

// FireSafe is Fire for hooks that may panic inside the filter: each goroutine
// recovers on its own.
func (r *Runner) FireSafe(event, repoDir string, payload []byte) {
	defer r.logPanic("fire " + event)
	names, err := r.listEvent(event)
	if err != nil {
		r.logger.Printf("fire %s: %v", event, err)
		return
	}
	for _, name := range names {
		go func() {
			defer r.logPanic(name)
			if _, err := r.Run(context.Background(), name, repoDir, bytes.NewReader(payload)); err != nil {
				r.logger.Printf("%s: %v", name, err)
			}
		}()
	}
}

// logPanic logs a recovered panic; it must be deferred directly.
func (r *Runner) logPanic(what string) {
	if v := recover(); v != nil {
		r.logger.Printf("%s: panic: %v", what, v)
	}
}

// Outputs runs the hooks of event concurrently and collects their output
// until ctx is done.
func (r *Runner) Outputs(ctx context.Context, event, repoDir string, payload []byte) []string {
	names, err := r.listEvent(event)
	if err != nil {
		return nil
	}
	out := make(chan string, len(names))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, name := range names {
		go func() {
			b, err := r.Run(ctx, name, repoDir, bytes.NewReader(payload))
			if err != nil {
				b = append(b, err.Error()...)
			}
			out <- string(b)
		}()
	}
	var res []string
	for range names {
		select {
		case s := <-out:
			res = append(res, s)
		case <-ctx.Done():
			return res
		}
	}
	return res
}

// eventCleanup removes what a hook event leaves behind.
var eventCleanup = map[string]func(repoDir string){
	"post-receive": func(repoDir string) { os.Remove(filepath.Join(repoDir, "githost-post-receive.tmp")) },
	"post-update":  func(repoDir string) { os.Remove(filepath.Join(repoDir, "info", "refs.tmp")) },
}

// RunEvent runs the hooks of event one after the other and cleans up after them.
func (r *Runner) RunEvent(ctx context.Context, event, repoDir string, payload []byte, out io.Writer) error {
	defer eventCleanup[event](repoDir) // HAZ defer-nil-func
	return r.RunEach(ctx, event, repoDir, payload, out)
}

// RunEventChecked is RunEvent for events that may have no cleanup.
func (r *Runner) RunEventChecked(ctx context.Context, event, repoDir string, payload []byte, out io.Writer) error {
	if cleanup, ok := eventCleanup[event]; ok {
		defer cleanup(repoDir)
	}
	return r.RunEach(ctx, event, repoDir, payload, out)
}
