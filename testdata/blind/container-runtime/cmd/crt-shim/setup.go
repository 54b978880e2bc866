package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"example.com/crt/internal/cgroup"
	"example.com/crt/internal/state"
)

// processSpec is the subset of the OCI process section the shim needs.
type processSpec struct {
	Args []string `json:"args"`
	Env  []string `json:"env,omitempty"`
	Cwd  string   `json:"cwd,omitempty"`
}

// prepareRootfs bind-mounts the bundle's rootfs under the state directory
// and mounts /proc and /dev into it. Every mount is recorded in the table
// so that cleanupMounts, or a later shim, can undo it.
func prepareRootfs(bundle, stateDir string, mounts *cgroup.MountTable) (string, error) {
	target := filepath.Join(stateDir, "rootfs")
	if err := os.MkdirAll(target, 0o755); err != nil {
		return "", err
	}
	bind := cgroup.Mount{
		Source: filepath.Join(bundle, "rootfs"),
		Target: target,
		Flags:  syscall.MS_BIND | syscall.MS_REC,
	}
	if err := mounts.Mount(bind); err != nil {
		return "", err
	}
	for _, m := range []cgroup.Mount{
		{Source: "proc", Target: filepath.Join(target, "proc"), FSType: "proc"},
		{Source: "tmpfs", Target: filepath.Join(target, "dev"), FSType: "tmpfs", Data: "mode=755"},
	} {
		if err := os.MkdirAll(m.Target, 0o755); err != nil {
			return "", err
		}
		if err := mounts.Mount(m); err != nil {
			return "", err
		}
	}
	return target, nil
}

// cleanupMounts is deferred by run.
func cleanupMounts(t *cgroup.MountTable, l *log.Logger) {
	if err := t.UnmountAll(); err != nil {
		l.Printf("unmount: %v", err)
	}
}

// withBundleLock runs fn while holding the bundle's lock file, so that two
// shims started for the same bundle do not read it while it is rewritten.
func withBundleLock(bundle string, fn func() error) error {
	l, err := state.AcquireLock(filepath.Join(bundle, ".crt.lock"))
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := l.Release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	err = fn()
	return err
}

// loadSpecLocked reads the process spec of the bundle under its lock.
func loadSpecLocked(bundle string) (processSpec, error) {
	var spec processSpec
	err := withBundleLock(bundle, func() error {
		return state.ReadJSON(filepath.Join(bundle, "process.json"), &spec)
	})
	if err != nil {
		return spec, err
	}
	if len(spec.Args) == 0 {
		return spec, errors.New("process.json: args is empty")
	}
	return spec, nil
}

// notifyAgent tells the node agent listening on sock that the container
// exited, so that it does not have to poll crtd.
func notifyAgent(sock, id string, code int) error {
	conn, err := net.DialTimeout("unix", sock, 2*time.Second)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	return json.NewEncoder(conn).Encode(map[string]any{"event": "exit", "id": id, "code": code})
}

// writeExitStatus records the container's exit code for crtd, which may be
// restarted and has to learn it from disk.
func writeExitStatus(stateDir string, code int) error {
	path := filepath.Join(stateDir, "exit-status")
	if err := state.WriteFileAtomic(path, []byte(strconv.Itoa(code)+"\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
