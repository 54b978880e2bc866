// Command kvctl is a command-line client for kvd.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/fah11/internal/httpapi"
)

func main() {
	addr := flag.String("addr", "http://localhost:8080", "kvd base URL")
	timeout := flag.Duration("timeout", 5*time.Second, "request timeout")
	histPath := flag.String("history", defaultHistoryPath(), "command history file")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() < 2 {
		usage()
		os.Exit(2)
	}

	hist, err := openHistory(*histPath)
	if err != nil {
		fatalf("%v", err)
	}
	defer func() {
		if err := hist.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "kvctl: history:", err)
		}
	}()
	hist.Record(flag.Args())

	c := httpapi.NewClient(*addr, *timeout)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := dispatch(ctx, c, flag.Args(), os.Stdout); err != nil {
		fatalf("%v", err) // HAZ exit-skips-defer
	}
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: kvctl [flags] get|put|del KEY [VALUE]\n")
	flag.PrintDefaults()
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kvctl: %s\n", fmt.Sprintf(format, args...))
	os.Exit(1)
}

func dispatch(ctx context.Context, c *httpapi.Client, args []string, out io.Writer) error {
	cmd, key := args[0], args[1]
	switch cmd {
	case "get":
		v, err := c.Get(ctx, key)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "%s\n", v)
		return err
	case "put":
		if len(args) < 3 {
			return errors.New("put needs a value")
		}
		ver, err := c.Put(ctx, key, []byte(args[2]))
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "version %d\n", ver)
		return err
	case "del":
		return c.Delete(ctx, key)
	default:
		return fmt.Errorf("unknown command %q", cmd)
	}
}

type history struct {
	f  *os.File
	bw *bufio.Writer
}

func defaultHistoryPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ".kvctl_history"
	}
	return filepath.Join(dir, "kvctl", "history")
}

func openHistory(path string) (*history, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	return &history{f: f, bw: bufio.NewWriter(f)}, nil
}

// Record appends one command line. Errors surface from Close.
func (h *history) Record(args []string) {
	fmt.Fprintf(h.bw, "%s\t%s\n", time.Now().Format(time.RFC3339), strings.Join(args, " "))
}

// Close flushes the buffered history and closes the file.
func (h *history) Close() error {
	err := h.bw.Flush()
	if cerr := h.f.Close(); err == nil {
		err = cerr
	}
	return err
}
