package blocklist

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// parseLine extracts the domain from one list line. It accepts plain
// domain lists and hosts files ("0.0.0.0 ads.example").
func parseLine(line string) (string, bool) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(line)
	switch len(fields) {
	case 0:
		return "", false
	case 1:
		return dnsmsg.CanonicalName(fields[0]), true
	default:
		if net.ParseIP(fields[0]) == nil {
			return "", false
		}
		name := dnsmsg.CanonicalName(fields[1])
		if name == "localhost" || name == "" {
			return "", false
		}
		return name, true
	}
}

// readList adds the domains listed in r to into and returns how many lines
// it accepted.
func readList(r io.Reader, into map[string]struct{}) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		if d, ok := parseLine(sc.Text()); ok {
			into[d] = struct{}{}
			n++
		}
	}
	return n, sc.Err()
}

func loadFile(path string, into map[string]struct{}) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return readList(f, into)
}

// LoadAll reads every list into one set; any unreadable list is an error.
func LoadAll(paths []string) (map[string]struct{}, error) {
	domains := make(map[string]struct{})
	for _, p := range paths {
		if _, err := loadFile(p, domains); err != nil {
			return nil, fmt.Errorf("blocklist %s: %w", p, err)
		}
	}
	return domains, nil
}

// LoadFiles is LoadAll for the command-line tools: missing lists are
// skipped and the number of entries read from each list is reported.
func LoadFiles(paths []string) (map[string]struct{}, map[string]int, error) {
	domains := make(map[string]struct{})
	counts := make(map[string]int, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := readList(f, domains)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		counts[p] = n
	}
	return domains, counts, nil
}

// LoadCached reads the downloaded copy of a list, or the copy bundled with
// the package when the download is older than maxAge.
func LoadCached(downloaded, bundled string, maxAge time.Duration) (map[string]struct{}, error) {
	f, err := os.Open(downloaded)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if time.Since(fi.ModTime()) > maxAge {
		f, err = os.Open(bundled)
		if err != nil {
			return nil, err
		}
	}
	domains := make(map[string]struct{})
	if _, err := readList(f, domains); err != nil {
		return nil, err
	}
	return domains, nil
}

// Checksums returns the SHA-256 of every configured list, for the
// control socket's "lists" command.
func (b *Blocklist) Checksums() (map[string]string, error) {
	sums := make(map[string]string, len(b.files))
	for _, p := range b.files {
		sum, err := func() (string, error) {
			f, err := os.Open(p)
			if err != nil {
				return "", err
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return "", err
			}
			return hex.EncodeToString(h.Sum(nil)), nil
		}()
		if err != nil {
			return nil, err
		}
		sums[p] = sum
	}
	return sums, nil
}

// noteParsePanic logs a panic raised while parsing a list so that one
// malformed third-party list cannot take the proxy down.
func noteParsePanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("blocklist: parser panic in %s: %v", name, r)
	}
}

// ParseReader parses a list received over the network (e.g. pushed by the
// list updater) without touching the active set.
func ParseReader(name string, r io.Reader) (domains map[string]struct{}, err error) {
	defer func() {
		noteParsePanic(name)
	}()
	domains = make(map[string]struct{})
	_, err = readList(r, domains)
	return domains, err
}

// LoadParallel reads the lists concurrently and stops at the first error.
func LoadParallel(paths []string) (map[string]struct{}, error) {
	type part struct {
		domains map[string]struct{}
		err     error
	}
	parts := make(chan part, len(paths))
	defer close(parts) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func(p string) {
			d := make(map[string]struct{})
			_, err := loadFile(p, d)
			parts <- part{d, err}
		}(p)
	}
	all := make(map[string]struct{})
	for range paths {
		pt := <-parts
		if pt.err != nil {
			return nil, pt.err
		}
		for k := range pt.domains {
			all[k] = struct{}{}
		}
	}
	return all, nil
}

// Info describes a list file.
type Info struct {
	Path    string
	Entries int
	ModTime time.Time
}

// ListInfo counts the entries of a list for the control socket.
func ListInfo(path string) (Info, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return Info{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		return Info{}, err
	}
	n, err := readList(f, make(map[string]struct{}))
	return Info{Path: path, Entries: n, ModTime: fi.ModTime()}, err
}
