// Command relayctl inspects a running relay and its files.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"example.com/fah16/internal/fetch"
	"example.com/fah16/internal/segment"
	"example.com/fah16/internal/state"
)

func main() {
	logger, closeLog := newLogger(os.Getenv("RELAYCTL_LOG"))
	code := run(os.Args[1:], os.Stdout, logger)
	closeLog()
	os.Exit(code)
}

// newLogger logs to path, or to stderr when path is empty or cannot be
// opened. The returned function closes the log file.
func newLogger(path string) (*log.Logger, func()) {
	if path == "" {
		return log.New(os.Stderr, "relayctl: ", 0), func() {}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		l := log.New(os.Stderr, "relayctl: ", 0)
		l.Printf("logging to stderr: %v", err)
		return l, func() {}
	}
	return log.New(f, "relayctl: ", log.LstdFlags), func() {
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "relayctl: closing log: %v\n", err)
		}
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: relayctl sources ADDR | checksum FILE... | archive DIR DST")
	os.Exit(2)
}

func run(args []string, out io.Writer, logger *log.Logger) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "help" {
		usage()
	}
	start := time.Now()
	defer func() {
		logger.Printf("%s finished in %s", args[0], time.Since(start))
	}()

	switch args[0] {
	case "sources":
		return cmdSources(args[1:], out)
	case "checksum":
		return cmdChecksum(args[1:], out)
	case "archive":
		return cmdArchive(args[1:], out)
	}
	fmt.Fprintf(os.Stderr, "relayctl: unknown command %q\n", args[0])
	return 2
}

func cmdSources(args []string, out io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "relayctl sources ADDR")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	var srcs []state.Source
	if err := fetch.NewClient(5*time.Second).GetJSON(ctx, "http://"+args[0]+"/sources", &srcs); err != nil {
		fmt.Fprintf(os.Stderr, "relayctl: %v\n", err)
		return 1
	}
	for _, s := range srcs {
		fmt.Fprintf(out, "%-40s %12d %s\n", s.Name, s.Offset, s.LastSeen.Format(time.RFC3339))
	}
	return 0
}

func cmdChecksum(args []string, out io.Writer) int {
	err := segment.ChecksumEach(args, func(path, sum string) error {
		_, err := fmt.Fprintf(out, "%s  %s\n", sum, path)
		return err
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "relayctl: %v\n", err)
		return 1
	}
	return 0
}

func cmdArchive(args []string, out io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "relayctl archive DIR DST")
		return 2
	}
	if err := segment.ArchiveDir(args[0], args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "relayctl: %v\n", err)
		return 1
	}
	fmt.Fprintf(out, "wrote %s\n", args[1])
	return 0
}
