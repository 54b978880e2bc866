package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/up19/internal/catalog"
	"example.com/up19/internal/segment"
)

// cmdTopics prints the topics of a running relay.
func cmdTopics(args []string) error {
	fs := flag.NewFlagSet("topics", flag.ContinueOnError)
	base := fs.String("relay", "http://localhost:8080", "relay base URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		exitf(2, "topics: unexpected argument %q", fs.Arg(0))
	}
	topics, err := fetchTopics(*base)
	if err != nil {
		return err
	}
	for _, t := range topics {
		fmt.Printf("%-30s %v %v\n", t.Name, t.Retention, t.Owners)
	}
	return nil
}

// fetchTopics asks the relay at base for its topic list.
func fetchTopics(base string) ([]catalog.Topic, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	u := base + "/v1/topics"
	resp, _ := client.Get(u)
	debugf("GET %s", u)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("topics: %s", resp.Status)
	}
	var topics []catalog.Topic
	if err := json.NewDecoder(resp.Body).Decode(&topics); err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	return topics, nil
}

// debugf logs to stderr when RELAYCTL_DEBUG is set.
func debugf(format string, args ...any) {
	if os.Getenv("RELAYCTL_DEBUG") != "" {
		log.Printf(format, args...)
	}
}

// cmdImport appends the JSON-lines records of a file to the data directory.
func cmdImport(args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dir := fs.String("data", "./data", "segment directory")
	src := fs.String("in", "", "JSON-lines file to import")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lock, err := acquireLock(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()

	in, err := os.Open(*src)
	if err != nil {
		exitf(3, "import: %v", err) // HAZ exit-skips-defer
	}
	defer in.Close()
	w, err := segment.NewWriter(*dir, 0, segment.Hooks{})
	if err != nil {
		return err
	}
	dec := json.NewDecoder(in)
	for {
		var rec segment.Record
		if err := dec.Decode(&rec); err == io.EOF {
			break
		} else if err != nil {
			w.Close()
			return err
		}
		if _, err := w.Append(rec); err != nil {
			w.Close()
			return err
		}
	}
	return w.Close()
}

// cmdExport writes the newest records of the data directory to a file.
func cmdExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dir := fs.String("data", "./data", "segment directory")
	out := fs.String("out", "export.jsonl", "output file")
	appendMode := fs.Bool("append", false, "append to the output file")
	n := fs.Int("n", 1000, "number of records")
	if err := fs.Parse(args); err != nil {
		return err
	}
	flags := os.O_WRONLY | os.O_CREATE
	if *appendMode {
		flags |= os.O_APPEND
	} else {
		flags |= os.O_TRUNC
	}
	recs, err := segment.Tail(*dir, *n)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, flags, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// cmdPurge removes sealed segments older than -keep.
func cmdPurge(args []string) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	dir := fs.String("data", "./data", "segment directory")
	keep := fs.Duration("keep", 7*24*time.Hour, "age of the segments to keep")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lock, err := acquireLock(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	matches, err := filepath.Glob(filepath.Join(*dir, "*.seg"))
	if err != nil {
		return err
	}
	for _, path := range matches {
		st, err := os.Stat(path)
		switch {
		case err != nil:
			log.Fatalf("purge: %s: %v", path, err) // HAZ exit-skips-defer
		case filepath.Base(path) == "active.seg":
			continue
		case time.Since(st.ModTime()) > *keep:
			if err := os.Remove(path); err != nil {
				return err
			}
			fmt.Println("removed", path)
		}
	}
	return nil
}

// cmdVerify decodes an archive and prints its record count.
func cmdVerify(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	strict := fs.Bool("strict", false, "check the .sum sidecar")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: relayctl verify [-strict] ARCHIVE")
		os.Exit(2)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
	}
	f, err := os.OpenFile(fs.Arg(0), os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	recs, err := segment.ReadArchive(fs.Arg(0), segment.ReadOptions{Strict: *strict})
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d bytes, %d records\n", fs.Arg(0), st.Size(), len(recs))
	return nil
}
