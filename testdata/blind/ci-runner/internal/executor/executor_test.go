package executor

import (
	"bytes"
	"context"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"example.com/cirunner/internal/job"
)

func needShell(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh in PATH")
	}
}

func TestMergeEnvSortsExtra(t *testing.T) {
	got := mergeEnv([]string{"PATH=/bin"}, map[string]string{"B": "2", "A": "1"})
	want := []string{"PATH=/bin", "A=1", "B=2"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("mergeEnv = %v, want %v", got, want)
	}
}

func TestRunCapturesBothStreams(t *testing.T) {
	needShell(t)
	var out bytes.Buffer
	e := New(nil)
	res := e.Run(context.Background(), t.TempDir(), job.Step{
		Name:    "echo",
		Command: []string{"sh", "-c", "echo out; echo err >&2; exit 3"},
	}, &out)
	if res.ExitCode != 3 {
		t.Fatalf("exit code %d, want 3 (err %v)", res.ExitCode, res.Err)
	}
	if !strings.Contains(out.String(), "out\n") || !strings.Contains(out.String(), "[stderr] err\n") {
		t.Fatalf("output = %q", out.String())
	}
}

func TestRunKillsOnTimeout(t *testing.T) {
	needShell(t)
	e := New(nil)
	e.KillGrace = 50 * time.Millisecond
	var out bytes.Buffer
	start := time.Now()
	res := e.Run(context.Background(), t.TempDir(), job.Step{
		Name:    "sleep",
		Command: []string{"sh", "-c", "sleep 30"},
		Timeout: job.Duration(100 * time.Millisecond),
	}, &out)
	if res.Err == nil {
		t.Fatal("expected a timeout error")
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("step was not killed in time (%s)", time.Since(start))
	}
}
