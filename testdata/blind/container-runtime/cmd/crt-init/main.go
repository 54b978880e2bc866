// crt-init is the tiny pid 1 the runtime injects into containers that ask
// for it: it starts the real entrypoint, forwards every signal to it,
// reaps orphaned zombies and exits with the entrypoint's status.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
)

func main() {
	pidfile := flag.String("pidfile", "", "write the entrypoint's pid to this file")
	flag.Parse()
	if flag.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "usage: crt-init [-pidfile path] [--] <entrypoint> [args...]")
		os.Exit(2)
	}
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs)

	child, err := startChild(flag.Args())
	if err != nil {
		fmt.Fprintf(os.Stderr, "crt-init: %v\n", err)
		os.Exit(127)
	}
	if *pidfile != "" {
		if err := os.WriteFile(*pidfile, []byte(strconv.Itoa(child.Pid)+"\n"), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "crt-init: %v\n", err)
		}
		defer os.Remove(*pidfile)
	}
	os.Exit(supervise(child.Pid, sigs)) // HAZ exit-skips-defer
}

// startChild starts the entrypoint in its own process group, in the
// foreground of the controlling terminal if there is one.
func startChild(argv []string) (*os.Process, error) {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return nil, err
	}
	return os.StartProcess(path, argv, &os.ProcAttr{
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		Sys:   &syscall.SysProcAttr{Setpgid: true},
	})
}

// supervise forwards signals to the child's process group and reaps
// zombies until the child itself exits; it returns the exit status.
func supervise(pid int, sigs <-chan os.Signal) int {
	for sig := range sigs {
		s, ok := sig.(syscall.Signal)
		if !ok {
			continue
		}
		if s != syscall.SIGCHLD {
			syscall.Kill(-pid, s)
			continue
		}
		if status, done := reap(pid); done {
			return status
		}
	}
	return 1
}

// reap collects every exited process; it reports the status of pid if pid
// was among them.
func reap(pid int) (int, bool) {
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || got <= 0 {
			return 0, false
		}
		if got != pid {
			continue
		}
		if ws.Signaled() {
			return 128 + int(ws.Signal()), true
		}
		return ws.ExitStatus(), true
	}
}
