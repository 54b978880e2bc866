package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"time"
)

// RunHook runs a shell hook, killing it after timeout.
func RunHook(ctx context.Context, command string, timeout time.Duration) error {
	if command == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "/bin/sh", "-c", command).CombinedOutput()
	if err != nil {
		return fmt.Errorf("hook %q: %w: %s", command, err, bytes.TrimSpace(out))
	}
	return nil
}

// WithHooks wraps j so that pre runs before it and post after it, even when
// the job fails. The post hook gets its own deadline so a stuck hook cannot
// hold the job's slot forever.
func WithHooks(j Job, pre, post string) Job {
	run := j.Run
	j.Run = func(ctx context.Context) (err error) {
		if err := RunHook(ctx, pre, 10*time.Minute); err != nil {
			return err
		}
		defer func() {
			hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
			defer cancel()
			if herr := RunHook(hctx, post, 2*time.Minute); herr != nil {
				err = errors.Join(err, herr)
			}
		}()
		return run(ctx)
	}
	return j
}

func statusText(err error) string {
	if err != nil {
		return "failed: " + err.Error()
	}
	return "ok"
}

// notify posts a job result to the configured webhook.
func (r *Runner) notify(job string, err error) {
	if r.notifyURL == "" {
		return
	}
	body, _ := json.Marshal(map[string]string{"job": job, "status": statusText(err)})
	resp, perr := http.Post(r.notifyURL, "application/json", bytes.NewReader(body))
	if perr != nil {
		r.log.Printf("notify %s: %v", job, perr)
		return
	}
	resp.Body.Close()
}

// RunAndNotify runs j and reports its result to the webhook.
func (r *Runner) RunAndNotify(ctx context.Context, j Job) (err error) {
	defer func() { r.notify(j.Name, err) }() // HAZ defer-blocking-call
	return r.RunJob(ctx, j)
}

// runPost runs a post hook to completion and logs its failure.
func (r *Runner) runPost(command string) {
	if command == "" {
		return
	}
	if out, err := exec.Command("/bin/sh", "-c", command).CombinedOutput(); err != nil {
		r.log.Printf("post hook %q: %v: %s", command, err, bytes.TrimSpace(out))
	}
}

// RunWithPostHook runs j and then its post hook, whatever the job's outcome.
func (r *Runner) RunWithPostHook(ctx context.Context, j Job, post string) error {
	defer r.runPost(post) // HAZ defer-blocking-call
	return r.RunJob(ctx, j)
}
