package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
)

const parseUsage = `usage: gohelper parse [-full] [file.go ...]

Parses each file with go/parser (ParseComments|SkipObjectResolution). The files are the
arguments or, without arguments, the lines of standard input. For each file it prints

    <status>\t<sha256 of the canonical dump>\t<path>

where status is "ok" or "err" (go/parser reported an error; the hash is then that of the
partial tree, or "-" if there is none). With -full it prints instead, for each file, a line
"### <status>\t<path>", one line "error: <line>:<column>: <message>" per error, and the
canonical dump (docs/parser-dump.md).
`

func runParse(args []string) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	full := fs.Bool("full", false, "print the full dump of each file instead of its hash")
	fs.Usage = func() { fmt.Fprint(os.Stderr, parseUsage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()

	each := func(path string) error {
		if *full {
			return parseFull(out, path)
		}
		return parseHash(out, path)
	}
	if fs.NArg() > 0 {
		for _, path := range fs.Args() {
			if err := each(path); err != nil {
				return fail(out, err)
			}
		}
		return 0
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<16), 1<<20)
	for in.Scan() {
		path := in.Text()
		if path == "" {
			continue
		}
		if err := each(path); err != nil {
			return fail(out, err)
		}
	}
	if err := in.Err(); err != nil {
		return fail(out, fmt.Errorf("reading file names from standard input: %v", err))
	}
	return 0
}

func fail(out *bufio.Writer, err error) int {
	out.Flush()
	fmt.Fprintf(os.Stderr, "gohelper parse: %v\n", err)
	return 2
}

// parse parses one file in a file set of its own and returns the tree (nil if the file could
// not be read), its token.File, and go/parser's error.
func parse(path string) (*ast.File, *token.File, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
	var tf *token.File
	fset.Iterate(func(x *token.File) bool { tf = x; return false })
	if tf == nil {
		f = nil
	}
	return f, tf, err
}

func status(err error) string {
	if err != nil {
		return "err"
	}
	return "ok"
}

func parseHash(out *bufio.Writer, path string) error {
	f, tf, perr := parse(path)
	sum := "-"
	if f != nil {
		h := sha256.New()
		w := bufio.NewWriterSize(h, 1<<16)
		if err := dumpFile(w, f, tf); err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		w.Flush()
		sum = hex.EncodeToString(h.Sum(nil))
	}
	fmt.Fprintf(out, "%s\t%s\t%s\n", status(perr), sum, path)
	return nil
}

func parseFull(out *bufio.Writer, path string) error {
	f, tf, perr := parse(path)
	fmt.Fprintf(out, "### %s\t%s\n", status(perr), path)
	var list scanner.ErrorList
	switch {
	case perr == nil:
	case errors.As(perr, &list):
		for _, e := range list {
			fmt.Fprintf(out, "error: %d:%d: %s\n", e.Pos.Line, e.Pos.Column, oneLine(e.Msg))
		}
	default:
		fmt.Fprintf(out, "error: %s\n", oneLine(perr.Error()))
	}
	if f != nil {
		if err := dumpFile(out, f, tf); err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
	}
	return nil
}

// oneLine keeps a message on one line of output.
func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\n' || c == '\r' {
			b[i] = ' '
		}
	}
	return string(b)
}
