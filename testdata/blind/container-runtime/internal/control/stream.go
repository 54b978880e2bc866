package control

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// logStreamPanic reports a panic that happened while streaming logs.
func logStreamPanic(l *log.Logger, id string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("control: logs %s: panic: %v", id, r)
	}
}

// LogStreamer returns the handler of "logs": it sends the container's log
// file and, with the "-f" argument, keeps following it until ctx is done
// or the client hangs up.
func LogStreamer(logPath func(id string) string, l *log.Logger) StreamHandler {
	return func(ctx context.Context, conn net.Conn, req Request) error {
		defer func() {
			logStreamPanic(l, req.ID)
		}()
		f, err := os.Open(logPath(req.ID))
		if err != nil {
			return writeResponse(conn, errorResponse(err))
		}
		defer f.Close()
		if _, err := io.Copy(conn, f); err != nil {
			return err
		}
		follow := len(req.Args) > 0 && req.Args[0] == "-f"
		if !follow {
			return nil
		}
		return followFile(ctx, conn, f, 250*time.Millisecond)
	}
}

// followFile copies data appended to f into w, polling every interval.
func followFile(ctx context.Context, w io.Writer, f *os.File, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if _, err := io.Copy(w, f); err != nil {
			return err
		}
	}
}

// ProxyExec runs cmd with its output going to conn while a goroutine feeds
// the client's input into the command's stdin.
func ProxyExec(conn net.Conn, cmd *exec.Cmd) error {
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	cmd.Stdout = conn
	cmd.Stderr = conn
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	inDone := make(chan error)
	go func() {
		_, err := io.Copy(stdin, conn)
		stdin.Close()
		inDone <- err // HAZ goroutine-blocked-send
	}()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("exec %s: %w", cmd.Path, err)
	}
	return <-inDone
}

// Splice copies between two connections in both directions until one side
// is done, then closes both. Used by "attach" to join the client to the
// shim's console socket.
func Splice(a, b net.Conn) error {
	errc := make(chan error, 2)
	cp := func(dst, src net.Conn) {
		_, err := io.Copy(dst, src)
		errc <- err
	}
	go cp(a, b)
	go cp(b, a)
	err := <-errc
	a.Close()
	b.Close()
	<-errc
	if isClosed(err) || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// DialConsole connects to a shim's console socket, retrying while the
// shim is still starting, and bounded by ctx.
func DialConsole(ctx context.Context, path string) (net.Conn, error) {
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "unix", path)
		if err == nil {
			return conn, nil
		}
		if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ECONNREFUSED) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("console %s: %w", path, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
