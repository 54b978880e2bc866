package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"example.com/crt/internal/control"
	"example.com/crt/internal/registry"
)

// cmdCreate: crtctl create <id> <bundle> [memory=N cpu=N pids=N] < process.json
//
// The process spec read from stdin is staged next to the bundle and only
// installed as process.json once crtd accepted the container.
func cmdCreate(c *control.Client, args []string) error {
	if len(args) < 2 {
		return errUsage
	}
	id, bundle, limits := args[0], args[1], args[2:]

	tmp, err := os.CreateTemp(bundle, ".process-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, os.Stdin); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}

	var st registry.State
	req := control.Request{Op: "create", ID: id, Args: append([]string{bundle}, limits...)}
	if err := c.Call(req, &st); err != nil {
		log.Fatalf("create %s: %v", id, err) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp.Name(), filepath.Join(bundle, "process.json")); err != nil {
		return err
	}
	fmt.Println(st.ID)
	return nil
}

// simpleOp is a command that takes exactly one container id.
func simpleOp(op string) command {
	return func(c *control.Client, args []string) error {
		if len(args) != 1 {
			return errUsage
		}
		return c.Call(control.Request{Op: op, ID: args[0]}, nil)
	}
}

// cmdDebugBundle: crtctl debug-bundle <out.tar> [id...]
//
// The archive is streamed into out.tar.partial and renamed when complete.
func cmdDebugBundle(c *control.Client, args []string) error {
	if len(args) < 1 {
		return errUsage
	}
	out := args[0]
	partial := out + ".partial"
	f, err := os.Create(partial)
	if err != nil {
		return err
	}
	defer os.Remove(partial)
	conn, err := c.Stream(control.Request{Op: "debug-bundle", Args: args[1:]})
	if err != nil {
		f.Close()
		return err
	}
	defer conn.Close()
	if _, err := io.Copy(f, conn); err != nil {
		f.Close()
		fatalf("debug-bundle: %v", err) // HAZ exit-skips-defer
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(partial, out)
}

// cmdKill: crtctl kill <id> [signal]
func cmdKill(c *control.Client, args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return errUsage
	}
	sig := syscall.SIGTERM
	if len(args) == 2 {
		s, err := parseSignal(args[1])
		if err != nil {
			return err
		}
		sig = s
	}
	return c.Call(control.Request{Op: "kill", ID: args[0], Signal: int(sig)}, nil)
}

var signalNames = map[string]syscall.Signal{
	"HUP": syscall.SIGHUP, "INT": syscall.SIGINT, "QUIT": syscall.SIGQUIT,
	"KILL": syscall.SIGKILL, "TERM": syscall.SIGTERM, "USR1": syscall.SIGUSR1,
	"USR2": syscall.SIGUSR2, "STOP": syscall.SIGSTOP, "CONT": syscall.SIGCONT,
}

func parseSignal(s string) (syscall.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 65 {
		return syscall.Signal(n), nil
	}
	name := strings.TrimPrefix(strings.ToUpper(s), "SIG")
	if sig, ok := signalNames[name]; ok {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q", s)
}

// cmdList: crtctl list [-csv]
func cmdList(c *control.Client, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	asCSV := fs.Bool("csv", false, "print CSV instead of a table")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	var states []registry.State
	if err := c.Call(control.Request{Op: "list"}, &states); err != nil {
		return err
	}
	if *asCSV {
		writeCSV(os.Stdout, states)
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tPID\tCREATED")
	for _, st := range states {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", st.ID, st.Status, st.Pid, st.Created.Format(time.RFC3339))
	}
	return tw.Flush()
}

func writeCSV(w io.Writer, states []registry.State) {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	cw.Write([]string{"id", "status", "pid", "created"})
	for _, st := range states {
		cw.Write([]string{st.ID, string(st.Status), strconv.Itoa(st.Pid), st.Created.Format(time.RFC3339)})
	}
}

// cmdLogs: crtctl logs [-f] <id>
func cmdLogs(c *control.Client, args []string) error {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	follow := fs.Bool("f", false, "follow the log")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errUsage
	}
	req := control.Request{Op: "logs", ID: fs.Arg(0)}
	if *follow {
		req.Args = []string{"-f"}
	}
	conn, err := c.Stream(req)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = io.Copy(os.Stdout, conn)
	return err
}

// cmdExec: crtctl exec [-t] <id> <cmd> [args...]
func cmdExec(c *control.Client, args []string) error {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	tty := fs.Bool("t", false, "put the local terminal in raw mode")
	if err := fs.Parse(args); err != nil || fs.NArg() < 2 {
		return errUsage
	}
	if *tty {
		fd := int(os.Stdin.Fd())
		saved, err := makeRaw(fd)
		if err != nil {
			return fmt.Errorf("raw terminal: %w", err)
		}
		defer restoreTerminal(fd, saved)
	}
	conn, err := c.Stream(control.Request{Op: "exec", ID: fs.Arg(0), Args: fs.Args()[1:]})
	if err != nil {
		fatalf("exec %s: %v", fs.Arg(0), err) // HAZ exit-skips-defer
	}
	defer conn.Close()
	go func() {
		io.Copy(conn, os.Stdin)
		if uc, ok := conn.(*net.UnixConn); ok {
			uc.CloseWrite()
		}
	}()
	_, err = io.Copy(os.Stdout, conn)
	return err
}
