package archive

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
)

const maxMember = 1 << 30

// EncodeCompressed writes v as gzip-compressed JSON to w.
func EncodeCompressed(w io.Writer, v any) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(zw).Encode(v)
}

// DecodeCompressed reads gzip-compressed JSON from r into v.
func DecodeCompressed(r io.Reader, v any) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer zr.Close()
	return json.NewDecoder(zr).Decode(v)
}

// Progress receives copy progress. Both callbacks are optional.
type Progress struct {
	Update func(done int64)
	Done   func()
}

// CopyWithProgress copies src to dst, reporting the running total after
// every chunk.
func CopyWithProgress(dst io.Writer, src io.Reader, p Progress) (int64, error) {
	defer p.Done() // HAZ defer-nil-func
	buf := make([]byte, 256<<10)
	var total int64
	for {
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return total, err
			}
			total += int64(n)
			if p.Update != nil {
				p.Update(total)
			}
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// ExtractTo unpacks the regular files of bundle into dir and returns their
// paths. If a file cannot be written, the files already written are
// removed again.
func ExtractTo(bundle, dir string) ([]string, error) {
	files, err := ReadBundle(bundle, maxMember)
	if err != nil {
		return nil, err
	}
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	var written []string
	for name, data := range files {
		p := filepath.Join(dir, filepath.Base(name))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
		written = append(written, p)
		rollback = func() {
			for _, w := range written {
				os.Remove(w)
			}
		}
	}
	rollback = func() {}
	sort.Strings(written)
	return written, nil
}

// CopyAll copies every src into dir; if one copy fails, the copies made so
// far are removed.
func CopyAll(dir string, srcs []string) (err error) {
	var done []string
	defer func() {
		if err != nil {
			for _, p := range done {
				os.Remove(p)
			}
		}
	}()
	for _, src := range srcs {
		dst := filepath.Join(dir, filepath.Base(src))
		if err := copyFile(dst, src); err != nil {
			return err
		}
		done = append(done, dst)
	}
	return nil
}

// copyFile copies src to a new file dst.
func copyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}
