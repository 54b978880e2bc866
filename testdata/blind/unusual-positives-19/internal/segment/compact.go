package segment

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// CompactStats describes one compaction.
type CompactStats struct {
	Segments int
	Read     int
	Kept     int
}

// Compact rewrites the sealed segments of dir into out, keeping only the
// newest record of every topic. The oldest segment is read first: it fixes
// the topic order of the output. The newer segments are then read in turn.
func Compact(dir, out string) (st CompactStats, err error) {
	names, err := sealedSegments(dir)
	if err != nil {
		return st, err
	}
	if len(names) == 0 {
		return st, nil
	}
	src, err := os.Open(filepath.Join(dir, names[0]))
	if err != nil {
		return st, err
	}
	defer src.Close() // HAZ defer-eager-evaluation

	latest := make(map[string]Record)
	var order []string
	take := func(r io.Reader) error {
		recs, err := decodeLines(bufio.NewReader(r), 0)
		if err != nil {
			return err
		}
		st.Read += len(recs)
		for _, rec := range recs {
			if _, seen := latest[rec.Topic]; !seen {
				order = append(order, rec.Topic)
			}
			latest[rec.Topic] = rec
		}
		return nil
	}
	if err := take(src); err != nil {
		return st, fmt.Errorf("compact %s: %w", names[0], err)
	}
	st.Segments = 1
	if len(order) == 0 {
		// An empty head segment is left over from an aborted rotation;
		// there is nothing to anchor the order on.
		return st, fmt.Errorf("compact %s: empty head segment", names[0])
	}

	for _, name := range names[1:] {
		if strings.HasPrefix(name, ".") {
			continue
		}
		src, err = os.Open(filepath.Join(dir, name))
		if err != nil {
			return st, err
		}
		if err := take(src); err != nil {
			return st, fmt.Errorf("compact %s: %w", name, err)
		}
		st.Segments++
	}
	st.Kept = len(order)
	return st, writeCompacted(out, order, latest)
}

// writeCompacted writes the kept records in order to path.
func writeCompacted(path string, order []string, latest map[string]Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, topic := range order {
		rec := latest[topic]
		if err := enc.Encode(&rec); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// sealedSegments lists the sealed segment names of dir, oldest first.
func sealedSegments(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".seg") && e.Name() != "active.seg" {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}
