package export

import (
	"io"
	"os"
)

// ConcatSegments copies the segment files, in order, to w.
func ConcatSegments(w io.Writer, paths []string) (int64, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	f, err := os.Open(paths[0])
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	var total int64
	for i := 1; ; i++ {
		n, err := io.Copy(w, f)
		total += n
		if err != nil {
			return total, err
		}
		if i == len(paths) {
			return total, nil
		}
		f, err = os.Open(paths[i])
		if err != nil {
			return total, err
		}
	}
}

// CopySegments is ConcatSegments done right: every file is opened and
// closed by appendFile, within its own call.
func CopySegments(w io.Writer, paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		n, err := appendFile(w, p)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func appendFile(w io.Writer, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// SegmentSizes reports segment sizes. The first segment is opened read-only
// (to make sure it is readable, not just present); the rest are only stat'ed.
func SegmentSizes(first string, rest ...string) (map[string]int64, error) {
	sizes := map[string]int64{}
	f, err := os.OpenFile(first, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	sizes[first] = st.Size()
	for _, p := range rest {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		sizes[p] = info.Size()
	}
	return sizes, nil
}
