package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
)

// Sandbox runs script activities as child processes in a scratch directory.
// The script reads its input on stdin and writes a JSON object on stdout.
type Sandbox struct {
	root      string
	maxOutput int64
	log       *log.Logger
}

// NewSandbox prepares root as the scripts' working directory.
func NewSandbox(root string, logger *log.Logger) (*Sandbox, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, err
	}
	return &Sandbox{root: root, maxOutput: 1 << 20, log: logger}, nil
}

// runScript executes path with input on stdin and returns its stdout.
func (s *Sandbox) runScript(ctx context.Context, path string, input []byte) ([]byte, error) {
	cmd := exec.CommandContext(ctx, path)
	cmd.Dir = s.root
	cmd.Stdin = bytes.NewReader(input)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	out, err := io.ReadAll(io.LimitReader(stdout, s.maxOutput))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// runScriptChecked is the variant used for short helper scripts: output is
// collected by os/exec itself and the exit status is checked.
func (s *Sandbox) runScriptChecked(ctx context.Context, path string, input []byte) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path)
	cmd.Dir = s.root
	cmd.Stdin = bytes.NewReader(input)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("sandbox: %s: %w: %s", path, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// decodeScriptOutput extracts the "result" member of the script's output.
func decodeScriptOutput(raw []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, &NonRetryableError{Err: fmt.Errorf("script output: %w", err)}
	}
	res := v.(map[string]any)["result"]
	return json.Marshal(res)
}

// Run executes a script activity. Scripts are third-party code and their
// output is trusted only loosely, so a panic while decoding it becomes an
// error of this activity.
func (s *Sandbox) Run(ctx context.Context, path string, input []byte) (out []byte, err error) {
	onPanic := func() {
		if r := recover(); r != nil { // HAZ recover-ineffective
			err = &PanicError{Activity: path, Value: r}
		}
	}
	defer func() {
		onPanic()
		s.log.Printf("sandbox: %s done (err=%v)", path, err)
	}()
	raw, err := s.runScript(ctx, path, input)
	if err != nil {
		return nil, err
	}
	return decodeScriptOutput(raw)
}

// RunHelper executes a helper script with full output checking.
func (s *Sandbox) RunHelper(ctx context.Context, path string, input []byte) (out []byte, err error) {
	defer capturePanic(&err, path)
	raw, err := s.runScriptChecked(ctx, path, input)
	if err != nil {
		return nil, err
	}
	return decodeScriptOutput(raw)
}
