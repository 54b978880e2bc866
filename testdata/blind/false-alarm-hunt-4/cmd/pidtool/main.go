// Command pidtool runs a maintenance step under a pid file.
package main

import (
	"fmt"
	"os"
	"os/exec"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pidtool CMD [ARGS...]")
		os.Exit(2) // ok: before the defer
	}
	const pidfile = "/tmp/pidtool.pid"
	if _, err := os.Stat(pidfile); err == nil {
		fmt.Fprintln(os.Stderr, "pidtool: already running")
		os.Exit(1) // ok: before the defer
	}
	if err := os.WriteFile(pidfile, []byte(fmt.Sprint(os.Getpid())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.Remove(pidfile)

	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1) // HAZ exit-skips-defer
	}
}
