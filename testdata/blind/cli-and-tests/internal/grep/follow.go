package grep

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Follower reads complete lines appended to a file, like tail -f.
type Follower struct {
	f       *os.File
	r       *bufio.Reader
	offset  int64
	partial strings.Builder
}

// Follow opens path and positions it at offset.
func Follow(path string, offset int64) (*Follower, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &Follower{f: f, r: bufio.NewReader(f), offset: offset}, nil
}

// Next returns the next complete line without its newline. It returns
// io.EOF when no complete line is available yet; call it again later.
func (t *Follower) Next() (string, error) {
	chunk, err := t.r.ReadString('\n')
	t.partial.WriteString(chunk)
	if err != nil {
		return "", err
	}
	line := t.partial.String()
	t.partial.Reset()
	t.offset += int64(len(line))
	return strings.TrimSuffix(line, "\n"), nil
}

// Offset returns the byte offset just past the last complete line.
func (t *Follower) Offset() int64 { return t.offset }

// Close closes the file.
func (t *Follower) Close() error { return t.f.Close() }

// SaveOffset stores the follower's offset in path.
func (t *Follower) SaveOffset(path string) error {
	if path == "" {
		return nil
	}
	return writeFileAtomic(path, []byte(strconv.FormatInt(t.offset, 10)+"\n"))
}

// LoadOffset reads an offset saved by SaveOffset; a missing file means 0.
func LoadOffset(path string) (int64, error) {
	if path == "" {
		return 0, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("offset file %s: %w", path, err)
	}
	return n, nil
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".offset-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
