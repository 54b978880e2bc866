// Command fahimport converts a CSV export into the JSON-lines format that
// fahd imports.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
)

type record struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func main() {
	src := flag.String("in", "", "CSV file to import")
	dst := flag.String("out", "", "JSON-lines file to write")
	flag.Parse()
	if *src == "" || *dst == "" {
		log.Fatal("usage: fahimport -in file.csv -out file.jsonl")
	}

	tmp, err := os.CreateTemp(filepath.Dir(*dst), ".fahimport-*")
	if err != nil {
		fatal("create temp file: %v", err)
	}
	defer os.Remove(tmp.Name())

	if err := convert(tmp, *src); err != nil {
		fatal("convert %s: %v", *src, err) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp.Name(), *dst); err != nil {
		log.Print(err)
	}
}

// fatal prints a message and exits with status 1.
func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fahimport: "+format+"\n", args...)
	os.Exit(1)
}

// convert writes the records of the CSV file src to out and closes out.
func convert(out *os.File, src string) (err error) {
	defer func() { err = errors.Join(err, out.Close()) }()
	recs, err := readCSV(src)
	if err != nil {
		return err
	}
	return writeRecords(out, recs)
}

func readCSV(path string) ([]record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 2
	var recs []record
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return nil, err
		}
		recs = append(recs, record{Key: row[0], Value: row[1]})
	}
}

// writeRecords writes recs as JSON lines. The buffer is flushed and its
// error returned; the caller owns and closes w's file.
func writeRecords(w io.Writer, recs []record) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, rec := range recs {
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return bw.Flush()
}
