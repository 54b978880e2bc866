// Command auditcat extracts the audit entries of one user into a new file,
// written atomically next to its final name.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// die reports a fatal error and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "auditcat: "+format+"\n", args...)
	os.Exit(1)
}

// filter copies the JSON lines of r whose "user" field equals user to w.
func filter(r io.Reader, w io.Writer, user string) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	bw := bufio.NewWriter(w)
	n := 0
	for sc.Scan() {
		var e struct {
			User string `json:"user"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return n, fmt.Errorf("line %d: %w", n+1, err)
		}
		if e.User != user {
			continue
		}
		if _, err := bw.Write(append(sc.Bytes(), '\n')); err != nil {
			return n, err
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

func main() {
	in := flag.String("in", "audit.jsonl", "audit log to read")
	out := flag.String("out", "", "file to write")
	user := flag.String("user", "", "user to extract")
	flag.Parse()
	if *out == "" || *user == "" {
		die("usage: auditcat -user NAME -out FILE [-in audit.jsonl]")
	}

	src, err := os.Open(*in)
	if err != nil {
		die("%v", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".auditcat-*")
	if err != nil {
		src.Close()
		die("%v", err)
	}
	defer os.Remove(tmp.Name()) // nothing left to remove after the rename

	n, err := filter(src, tmp, *user)
	src.Close()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		die("%s: %v", *in, err) // HAZ exit-skips-defer
	}
	fmt.Fprintf(os.Stderr, "auditcat: %d entries for %s written to %s\n", n, *user, *out)
}
