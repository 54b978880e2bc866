package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"example.com/crt/internal/cgroup"
	"example.com/crt/internal/control"
	"example.com/crt/internal/registry"
)

// registerHandlers binds the control-socket operations to the daemon.
func registerHandlers(srv *control.Server, d *daemon) {
	srv.Handle("create", func(_ context.Context, req control.Request) (any, error) {
		if len(req.Args) < 1 {
			return nil, errors.New("create: bundle path required")
		}
		lim, err := parseLimits(req.Args[1:])
		if err != nil {
			return nil, err
		}
		return d.create(req.ID, req.Args[0], req.Labels, lim)
	})
	srv.Handle("start", func(_ context.Context, req control.Request) (any, error) {
		return nil, d.start(req.ID)
	})
	srv.Handle("kill", func(_ context.Context, req control.Request) (any, error) {
		sig := syscall.SIGTERM
		if req.Signal != 0 {
			sig = syscall.Signal(req.Signal)
		}
		return nil, d.kill(req.ID, sig)
	})
	srv.Handle("delete", func(_ context.Context, req control.Request) (any, error) {
		return nil, d.deleteAudited(req.ID)
	})
	srv.Handle("ping", func(context.Context, control.Request) (any, error) {
		return "pong", nil
	})
	srv.Handle("start-all", func(_ context.Context, req control.Request) (any, error) {
		return nil, d.startAll(req.Args)
	})
	srv.Handle("stop-all", func(context.Context, control.Request) (any, error) {
		d.stopAll()
		return nil, nil
	})
	srv.Handle("list", func(context.Context, control.Request) (any, error) {
		return d.reg.States(), nil
	})
	srv.Handle("state", func(_ context.Context, req control.Request) (any, error) {
		c, ok := d.reg.Get(req.ID)
		if !ok {
			return nil, fmt.Errorf("%s: %w", req.ID, registry.ErrNotFound)
		}
		return c.State(), nil
	})
	srv.Handle("pause", func(_ context.Context, req control.Request) (any, error) {
		return nil, pause(d, req.ID)
	})
	srv.Handle("resume", func(_ context.Context, req control.Request) (any, error) {
		return nil, d.resume(req.ID)
	})
	srv.Handle("signal-all", func(_ context.Context, req control.Request) (any, error) {
		d.broadcast(syscall.Signal(req.Signal))
		return nil, nil
	})
	srv.Handle("release", func(_ context.Context, req control.Request) (any, error) {
		d.releaseAll(req.Args)
		return nil, nil
	})
	srv.Handle("stats", func(_ context.Context, req control.Request) (any, error) {
		return d.cg.Stats(req.ID)
	})
	srv.HandleStream("logs", control.LogStreamer(d.logPath, d.log))
	srv.HandleStream("debug-bundle", func(_ context.Context, conn net.Conn, req control.Request) error {
		return writeDebugBundle(conn, d, req.Args)
	})
	srv.HandleStream("exec", func(_ context.Context, conn net.Conn, req control.Request) error {
		cmd, err := execCommand(d, req)
		if err != nil {
			return err
		}
		return control.ProxyExec(conn, cmd)
	})
}

// pause freezes a running container's cgroup.
func pause(d *daemon, id string) error {
	c, ok := d.reg.Get(id)
	if !ok {
		return fmt.Errorf("%s: %w", id, registry.ErrNotFound)
	}
	if err := c.Transition(registry.Paused); err != nil {
		return err
	}
	if err := d.cg.Freeze(id); err != nil {
		if terr := c.Transition(registry.Running); terr != nil {
			d.log.Printf("revert state of %s: %v", id, terr)
		}
		return err
	}
	return d.store.Save(id, c.State())
}

// parseLimits parses "memory=<bytes>", "cpu=<weight>", "pids=<n>".
func parseLimits(args []string) (cgroup.Limits, error) {
	var lim cgroup.Limits
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return lim, fmt.Errorf("bad limit %q", a)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return lim, fmt.Errorf("bad limit %q", a)
		}
		switch k {
		case "memory":
			lim.MemoryMax = n
		case "cpu":
			lim.CPUWeight = int(n)
		case "pids":
			lim.PidsMax = int(n)
		default:
			return lim, fmt.Errorf("unknown limit %q", k)
		}
	}
	return lim, nil
}

// execCommand builds the nsenter invocation that runs req.Args inside the
// namespaces of a running container.
func execCommand(d *daemon, req control.Request) (*exec.Cmd, error) {
	if len(req.Args) == 0 {
		return nil, errors.New("exec: command required")
	}
	c, ok := d.reg.Get(req.ID)
	if !ok {
		return nil, fmt.Errorf("%s: %w", req.ID, registry.ErrNotFound)
	}
	pid := c.Pid()
	if pid == 0 {
		return nil, fmt.Errorf("container %s is not running", req.ID)
	}
	args := append([]string{"-t", strconv.Itoa(pid), "-a", "--"}, req.Args...)
	return exec.Command("nsenter", args...), nil
}

// healthMux serves the daemon's liveness endpoint.
func healthMux(d *daemon) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		counts := d.reg.Summary()
		fmt.Fprintf(w, "ok containers=%d running=%d\n", counts["total"], counts[registry.Running])
	})
	return mux
}

// dumpState writes a table of all containers, for the debug socket.
func dumpState(d *daemon) func(io.Writer) error {
	return func(w io.Writer) error {
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATUS\tPID\tBUNDLE")
		for _, st := range d.reg.States() {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", st.ID, st.Status, st.Pid, st.Bundle)
		}
		return tw.Flush()
	}
}
