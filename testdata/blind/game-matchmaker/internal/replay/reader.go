package replay

import (
	"compress/gzip"
	"encoding/gob"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
)

// Load reads a replay written by Save. The file is opened read-only.
func Load(path string) (*Replay, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// LoadHeader reads only the header, for listings.
func LoadHeader(path string) (Header, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return Header{}, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return Header{}, err
	}
	defer zr.Close()
	var r Replay
	if err := gob.NewDecoder(zr).Decode(&r); err != nil {
		return Header{}, err
	}
	return r.Header, nil
}

// LoadSegmented loads a replay that a crashed recorder split into base.part0
// and base.part1.
func LoadSegmented(base string) (*Replay, error) {
	f, err := os.Open(base + ".part0")
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	r, err := decode(f)
	if err != nil {
		return nil, err
	}
	if r.Header.Continued {
		f, err = os.Open(base + ".part1")
		if err != nil {
			return nil, err
		}
		more, err := decode(f)
		if err != nil {
			return nil, fmt.Errorf("%s.part1: %w", base, err)
		}
		r.Frames = append(r.Frames, more.Frames...)
		r.Header.Continued = false
	}
	return r, nil
}

// LoadAll loads every replay in paths. Each file is opened and closed in
// its own function literal, so at most one is open at a time.
func LoadAll(paths []string) ([]*Replay, error) {
	out := make([]*Replay, 0, len(paths))
	for _, p := range paths {
		r, err := func() (*Replay, error) {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return decode(f)
		}()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// CheckAll decodes every file and returns how many are valid. Close
// errors are logged with the file name.
func CheckAll(paths []string) int {
	valid := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer func() { // HAZ defer-in-loop loop-var-capture
			if err := f.Close(); err != nil {
				log.Printf("replay: close %s: %v", p, err)
			}
		}()
		if _, err := decode(f); err == nil {
			valid++
		}
	}
	return valid
}

// List returns the replay files in dir, oldest name first.
func List(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.replay.gz"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	return paths, nil
}

// Compact merges every replay file of dir into one archive at out and
// returns how many replays it merged.
func Compact(dir, out string) (int, error) {
	paths, err := List(dir)
	if err != nil {
		return 0, err
	}
	all := make([]*Replay, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close() // HAZ defer-in-loop
		r, err := decode(f)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", p, err)
		}
		all = append(all, r)
	}
	return len(all), WriteArchive(out, all)
}
