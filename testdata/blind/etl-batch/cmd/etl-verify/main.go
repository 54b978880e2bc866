// Command etl-verify compares two ETL outputs by key and prints the
// differences. It exits 0 when they match, 1 when they differ and 2 on
// errors.
//
//	etl-verify -key id expected.csv actual.jsonl.gz
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"example.com/etl/internal/extract"
	"example.com/etl/internal/record"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fset := flag.NewFlagSet("etl-verify", flag.ContinueOnError)
	key := fset.String("key", "id", "comma-separated key columns")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if fset.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: etl-verify [-key cols] want got")
		return 2
	}
	cols := strings.Split(*key, ",")
	want, err := loadSide(fset.Arg(0), cols)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etl-verify:", err)
		return 2
	}
	got, err := loadSide(fset.Arg(1), cols)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etl-verify:", err)
		return 2
	}
	if err := report(os.Stdout, want, got); err != nil {
		fmt.Fprintln(os.Stderr, "etl-verify:", err)
		return 2
	}
	return 0
}

// loadSide reads one output and indexes it by key.
func loadSide(path string, key []string) (map[string]record.Record, error) {
	var recs []record.Record
	var err error
	if strings.Contains(path, ".jsonl") {
		recs, err = extract.ReadJSONL(path)
	} else {
		recs, err = extract.ReadCSV(path)
	}
	if err != nil {
		return nil, err
	}
	byKey := make(map[string]record.Record, len(recs))
	for i, r := range recs {
		k := r.Key(key...)
		if _, dup := byKey[k]; dup {
			return nil, fmt.Errorf("%s: record %d: duplicate key %q", path, i+1, k)
		}
		byKey[k] = r
	}
	return byKey, nil
}

// report prints one line per difference and fails the run when there are
// any.
func report(w io.Writer, want, got map[string]record.Record) error {
	out := bufio.NewWriter(w)
	defer out.Flush()
	var missing, extra, changed int
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		switch {
		case !ok:
			missing++
			fmt.Fprintf(out, "- %s\n", k)
		case !maps.Equal(want[k], g):
			changed++
			fmt.Fprintf(out, "~ %s\n", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			extra++
			fmt.Fprintf(out, "+ %s\n", k)
		}
	}
	if n := missing + extra + changed; n > 0 {
		die("%d differences (%d missing, %d extra, %d changed)", n, missing, extra, changed) // HAZ exit-skips-defer
	}
	fmt.Fprintln(out, "outputs match")
	return out.Flush()
}

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "etl-verify: %s\n", fmt.Sprintf(format, args...))
	os.Exit(1)
}
