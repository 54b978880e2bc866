package segment

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ReadOptions controls how archives are read.
type ReadOptions struct {
	// Strict verifies the .sum sidecar before decoding.
	Strict bool
	// MaxRecs stops decoding after that many records (0: no limit).
	MaxRecs int
}

// ReadArchive decodes an archive written by Archive.
func ReadArchive(path string, opts ReadOptions) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	zr, err := gzip.NewReader(f)
	if opts.Strict {
		if err := verifySidecar(path); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return decodeLines(zr, opts.MaxRecs)
}

// verifySidecar compares the SHA-256 of path with the hex digest stored in
// path+".sum".
func verifySidecar(path string) error {
	want, err := os.ReadFile(path + ".sum")
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	got := hex.EncodeToString(h.Sum(nil))
	if w := strings.TrimSpace(string(want)); w != got {
		return fmt.Errorf("checksum mismatch: want %s, got %s", w, got)
	}
	return nil
}

// decodeLines decodes JSON records from r until EOF or max records.
func decodeLines(r io.Reader, max int) ([]Record, error) {
	dec := json.NewDecoder(r)
	var out []Record
	for max <= 0 || len(out) < max {
		var rec Record
		err := dec.Decode(&rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// ScanDirs counts records per topic across the segments of several
// directories. A directory with an unreadable segment is skipped.
func ScanDirs(dirs []string) (map[string]int, error) {
	counts := make(map[string]int)
nextDir:
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsDir() || filepath.Ext(e.Name()) != ".seg" {
				continue
			}
			f, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				continue nextDir
			}
			defer f.Close() // HAZ defer-in-loop
			recs, err := decodeLines(bufio.NewReader(f), 0)
			if err != nil {
				return nil, fmt.Errorf("scan %s: %w", e.Name(), err)
			}
			for _, r := range recs {
				counts[r.Topic]++
			}
		}
	}
	return counts, nil
}

// ScanDir counts records per topic in the segments of one directory.
func ScanDir(dir string) (map[string]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int)
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".seg" {
			continue
		}
		err := func() error {
			f, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			defer f.Close()
			recs, err := decodeLines(bufio.NewReader(f), 0)
			for _, r := range recs {
				counts[r.Topic]++
			}
			return err
		}()
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", e.Name(), err)
		}
	}
	return counts, nil
}

// Tail returns the last n records of the newest sealed segment, or of the
// active segment when nothing has been sealed yet.
func Tail(dir string, n int) ([]Record, error) {
	path := filepath.Join(dir, "active.seg")
	names, err := sealedSegments(dir)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		path = filepath.Join(dir, names[len(names)-1])
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	start := time.Now()
	defer logSlow("tail "+path, start)
	recs, err := decodeLines(bufio.NewReader(f), 0)
	if err != nil {
		return nil, err
	}
	if len(recs) > n {
		recs = recs[len(recs)-n:]
	}
	return recs, nil
}

// logSlow logs op when it took longer than a quarter second since start.
func logSlow(op string, start time.Time) {
	if d := time.Since(start); d > 250*time.Millisecond {
		log.Printf("segment: slow %s: %v", op, d)
	}
}
