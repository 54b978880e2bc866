// Command schema-lint checks JSON schema files for common mistakes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: schema-lint FILE...")
		flag.PrintDefaults()
		os.Exit(2) // ok: inside a function literal
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
	}
	os.Exit(lintAll(flag.Args(), os.Stdout)) // ok: main registers no defers; lintAll's ran already
}

func lintAll(paths []string, out io.Writer) int {
	code := 0
	for _, p := range paths {
		if err := lintFile(p, out); err != nil {
			fmt.Fprintf(out, "%s: %v\n", p, err)
			code = 1
		}
	}
	return code
}

func lintFile(path string, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var doc map[string]any
	if err := json.NewDecoder(f).Decode(&doc); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if _, ok := doc["$schema"]; !ok {
		fmt.Fprintf(out, "%s: warning: no $schema\n", path)
	}
	if t, ok := doc["type"].(string); ok && t != "object" {
		return fmt.Errorf("top-level type is %q, want object", t)
	}
	return nil
}
