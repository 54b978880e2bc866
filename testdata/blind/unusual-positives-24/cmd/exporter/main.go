// Command exporter writes the records of a segment file as text, holding a
// lock file so that two exports of the same segment never overlap.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"

	"example.com/up24/internal/segment"
)

type config struct {
	input    string
	output   string
	lockPath string
	hex      bool
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.input, "in", "", "segment file to export")
	flag.StringVar(&c.output, "out", "", "text file to write")
	flag.StringVar(&c.lockPath, "lock", "", "lock file (default: <in>.lock)")
	flag.BoolVar(&c.hex, "hex", false, "write records as hex")
	flag.Parse()
	if c.lockPath == "" && c.input != "" {
		c.lockPath = c.input + ".lock"
	}
	return c
}

// fileLock is a lock file holding the owner's pid.
type fileLock struct{ path string }

func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return &fileLock{path: path}, nil
}

func (l *fileLock) release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("exporter: release %s: %v", l.path, err)
	}
}

// export writes every record of cfg.input to cfg.output through a temporary
// file that is renamed into place on success.
func export(cfg config) (n int, err error) {
	recs, err := segment.Records(cfg.input)
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(cfg.output), ".export-*")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	for _, rec := range recs {
		if err := writeRecord(bw, rec, cfg.hex); err != nil {
			return n, err
		}
		n++
	}
	if err := bw.Flush(); err != nil {
		return n, err
	}
	if err := tmp.Close(); err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), cfg.output)
}

func writeRecord(w io.Writer, rec []byte, hex bool) error {
	var err error
	if hex {
		_, err = fmt.Fprintf(w, "%x\n", rec)
	} else {
		_, err = fmt.Fprintln(w, strconv.Quote(string(rec)))
	}
	return err
}

// fatalf reports the error and exits; it never returns.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	exit(1)
}

// exit silences further log output and ends the process with code.
func exit(code int) {
	log.SetOutput(io.Discard)
	os.Exit(code)
}

func main() {
	cfg := parseFlags()
	if cfg.input == "" || cfg.output == "" {
		fatalf("exporter: -in and -out are required")
	}
	lock, err := acquireLock(cfg.lockPath)
	if err != nil {
		fatalf("exporter: %v", err)
	}
	defer lock.release()
	n, err := export(cfg)
	if err != nil {
		fatalf("exporter: after %d records: %v", n, err) // HAZ exit-skips-defer
	}
	log.Printf("exporter: wrote %d records to %s", n, cfg.output)
}
