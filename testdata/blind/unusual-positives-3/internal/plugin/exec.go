package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"time"
)

// ExecPlugin runs an out-of-process plugin binary, feeds it the payload on
// stdin and decodes its response from stdout.
func ExecPlugin(path string, req Request) (Response, error) {
	cmd := exec.Command(path, req.Op)
	cmd.Stdin = bytes.NewReader(req.Payload)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Response{}, err
	}
	if err := cmd.Start(); err != nil {
		return Response{}, err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	var resp Response
	if err := json.NewDecoder(stdout).Decode(&resp); err != nil {
		return Response{}, fmt.Errorf("plugin %s: bad response: %w", path, err)
	}
	return resp, nil
}

// ExecPluginContext runs the binary under a deadline and collects its output.
func ExecPluginContext(ctx context.Context, path string, req Request, timeout time.Duration) (Response, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, req.Op)
	cmd.Stdin = bytes.NewReader(req.Payload)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return Response{}, fmt.Errorf("plugin %s: %w", path, err)
	}
	var resp Response
	if err := json.Unmarshal(out.Bytes(), &resp); err != nil {
		return Response{}, fmt.Errorf("plugin %s: bad response: %w", path, err)
	}
	return resp, nil
}
