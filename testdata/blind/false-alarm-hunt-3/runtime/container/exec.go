package container

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Runtime launches processes for containers.
type Runtime struct {
	Binary string
	Root   string
	d      *Daemon
}

// NewRuntime returns a runtime using binary (e.g. "runc").
func NewRuntime(binary, root string, d *Daemon) *Runtime {
	return &Runtime{Binary: binary, Root: root, d: d}
}

// Exec runs a command in the container and returns combined output. The
// process is killed when ctx ends.
func (r *Runtime) Exec(ctx context.Context, id string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.Binary, append([]string{"exec", id}, args...)...)
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	if err := cmd.Run(); err != nil { // ok: run directly, not deferred
		return buf.Bytes(), fmt.Errorf("exec in %s: %w", id, err)
	}
	return buf.Bytes(), nil
}

// Start launches the container's init process and watches it on a goroutine
// that reports exit through the container state.
func (r *Runtime) Start(ctx context.Context, c *Container) error {
	cmd := exec.Command(r.Binary, "start", c.ID)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", c.ID, err)
	}
	c.SetRunning(cmd.Process.Pid)

	go func() {
		_, _ = io.Copy(io.Discard, stdout) // all reads finish before Wait
		err := cmd.Wait()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			code = -1
		}
		c.SetStopped(code)
		_ = r.d.Transition(c.ID, StateStopped)
	}()
	return nil
}

// Kill sends SIGKILL through the runtime binary, giving it grace to exit.
func (r *Runtime) Kill(ctx context.Context, c *Container, grace time.Duration) error {
	if err := exec.CommandContext(ctx, r.Binary, "kill", c.ID, "TERM").Run(); err != nil {
		return err
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-c.Wait():
		return nil
	case <-t.C:
	case <-ctx.Done():
		return ctx.Err()
	}
	return exec.CommandContext(ctx, r.Binary, "kill", c.ID, "KILL").Run()
}

// readPidFile reads the pid written by the runtime. The file is opened
// read-only.
func readPidFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close() // ok: read-only
	var pid int
	if _, err := fmt.Fscan(f, &pid); err != nil {
		return 0, fmt.Errorf("parse %s: %w", path, err)
	}
	return pid, nil
}

// Pids reads the pid file of every container directory under Root.
func (r *Runtime) Pids() (map[string]int, error) {
	entries, err := os.ReadDir(r.Root)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		pid, err := readPidFile(filepath.Join(r.Root, e.Name(), "init.pid")) // ok: defer lives in the helper
		if err != nil {
			continue
		}
		out[e.Name()] = pid
	}
	return out, nil
}

// writeConfig writes the OCI config atomically: temp file, fsync, rename.
func writeConfig(dir string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, ".config-*.json")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil { // ok: checked close on the success path
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, "config.json"))
}

// WriteConfigs writes configs for several containers.
func (r *Runtime) WriteConfigs(cfgs map[string][]byte) error {
	for id, data := range cfgs {
		if err := writeConfig(filepath.Join(r.Root, id), data); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
	}
	return nil
}

// readEnvFile parses KEY=VALUE lines.
func readEnvFile(path string) (env map[string]string, err error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: O_RDONLY
	env = map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		env[k] = v
	}
	return env, sc.Err()
}

// appendLog appends a line to the container log and returns the close error.
func appendLog(path, line string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr // ok: close error reaches the caller
		}
	}()
	_, err = io.WriteString(f, line+"\n")
	return err
}

// writeState persists a small state file.
func writeState(path string, s State, pid int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: plus the checked Close below
	if _, err := fmt.Fprintf(f, "%s %d\n", s, pid); err != nil {
		return err
	}
	return f.Close()
}

// readState reads what writeState wrote.
func readState(path string) (string, int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, err
	}
	fields := strings.Fields(string(b))
	if len(fields) != 2 {
		return "", 0, fmt.Errorf("malformed state file %s", path)
	}
	pid, err := strconv.Atoi(fields[1])
	return fields[0], pid, err
}

// ReloadStates reads every state file and replays it into the daemon.
func (r *Runtime) ReloadStates() error {
	matches, err := filepath.Glob(filepath.Join(r.Root, "*", "state"))
	if err != nil {
		return err
	}
	for _, m := range matches {
		st, pid, err := readState(m)
		if err != nil {
			return err
		}
		id := filepath.Base(filepath.Dir(m))
		c := r.d.GetOrCreate(id, func() *Container { return New(id, id) })
		if st == StateRunning.String() {
			c.SetRunning(pid)
		}
	}
	return nil
}

// dumpLogs copies the container's log files into w, one file at a time.
func dumpLogs(w io.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := io.Copy(w, f); err != nil {
			return err
		}
	}
	return nil
}

// DumpLogsScoped is dumpLogs with each file closed before the next opens.
func DumpLogsScoped(w io.Writer, paths []string) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close() // ok: inside a function literal per item
			_, err = io.Copy(w, f)
			return err
		}()
		if err != nil {
			return err
		}
	}
	return nil
}
