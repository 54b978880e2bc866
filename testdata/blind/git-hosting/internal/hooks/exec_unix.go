//go:build unix

package hooks

import (
	"os/exec"
	"syscall"
)

// setProcessGroup starts the hook in its own process group, so that a
// timeout can kill the children it spawned as well.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killProcess kills the hook's whole process group.
func killProcess(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
