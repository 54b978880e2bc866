// Package grep searches log files, plain or gzip-compressed, local or
// fetched over HTTP, for lines matching a regular expression.
package grep

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strings"
)

// Match is one matching line.
type Match struct {
	File string
	Line int
	Text string
}

func (m Match) String() string { return fmt.Sprintf("%s:%d:%s", m.File, m.Line, m.Text) }

// Options controls a search.
type Options struct {
	Invert   bool // select non-matching lines
	MaxCount int  // stop after this many matches per file; 0 means no limit
	Workers  int  // for the parallel searches; 0 means 4
}

// ErrTimeout is returned when a bounded search runs out of time.
var ErrTimeout = errors.New("grep: timed out")

// SearchReader scans r line by line.
func SearchReader(r io.Reader, name string, re *regexp.Regexp, opt Options) ([]Match, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var out []Match
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if re.MatchString(line) == opt.Invert {
			continue
		}
		out = append(out, Match{File: name, Line: n, Text: line})
		if opt.MaxCount > 0 && len(out) >= opt.MaxCount {
			break
		}
	}
	return out, sc.Err()
}

// SearchFile searches one file, decompressing *.gz files on the fly.
func SearchFile(path string, re *regexp.Regexp, opt Options) ([]Match, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close() // ok: a reader, closed before the file it reads from
		return SearchReader(zr, path, re, opt)
	}
	return SearchReader(f, path, re, opt)
}

// SearchFiles searches paths one after another.
func SearchFiles(paths []string, re *regexp.Regexp, opt Options) ([]Match, error) {
	var all []Match
	for _, p := range paths {
		ms, err := SearchFile(p, re, opt) // ok: each file is closed inside SearchFile
		if err != nil {
			return all, err
		}
		all = append(all, ms...)
	}
	return all, nil
}

// SearchWithRotated searches path's rotated predecessor path.1, if there is
// one, and then path, so older lines come first.
func SearchWithRotated(path string, re *regexp.Regexp, opt Options) ([]Match, error) {
	var out []Match
	f, err := os.Open(path + ".1")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err == nil {
		defer f.Close() // HAZ defer-eager-evaluation
		ms, err := SearchReader(f, path+".1", re, opt)
		if err != nil {
			return nil, err
		}
		out = ms
	}
	f, err = os.Open(path)
	if err != nil {
		return nil, err
	}
	ms, err := SearchReader(f, path, re, opt)
	return append(out, ms...), err
}

// SearchGlob searches every file matching pattern, rotated files included.
func SearchGlob(pattern string, re *regexp.Regexp, opt Options) ([]Match, error) {
	paths, err := filepathGlob(pattern)
	if err != nil {
		return nil, err
	}
	return SearchFiles(paths, re, opt)
}

// SearchURL fetches url and searches the body.
func SearchURL(ctx context.Context, client *http.Client, url string, re *regexp.Regexp, opt Options) ([]Match, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // ok: after the error check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	var body io.Reader = resp.Body
	if strings.HasSuffix(url, ".gz") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		body = zr
	}
	return SearchReader(body, url, re, opt)
}

func countFile(path string, re *regexp.Regexp) (int, error) {
	ms, err := SearchFile(path, re, Options{})
	return len(ms), err
}
