package telemetry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Spool is a store-and-forward directory: payloads that could not be uploaded
// are written here and replayed when the uplink returns.
type Spool struct {
	dir string
}

// OpenSpool creates dir if needed and returns a spool on it.
func OpenSpool(dir string) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &Spool{dir: dir}, nil
}

// Append stores data under a new name, atomically: readers never see a partial file.
func (s *Spool) Append(data []byte) (name string, err error) {
	f, err := os.CreateTemp(s.dir, ".spool-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	defer func() { err = errors.Join(err, f.Close()) }()
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	name = fmt.Sprintf("%020d.msg", time.Now().UnixNano())
	return name, os.Rename(f.Name(), filepath.Join(s.dir, name))
}

// Pending lists the spooled payloads, oldest first.
func (s *Spool) Pending() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".msg") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Drain sends every spooled payload in order and deletes it once sent.
func (s *Spool) Drain(ctx context.Context, send func([]byte) error) (int, error) {
	start := time.Now()
	n := 0
	defer log.Printf("telemetry: spool drained %d payloads in %v", n, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	names, err := s.Pending()
	if err != nil {
		return 0, err
	}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		path := filepath.Join(s.dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return n, err
		}
		if err := send(data); err != nil {
			return n, err
		}
		if err := os.Remove(path); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Replay calls fn with every spooled payload without deleting anything, and
// reports how long it took.
func (s *Spool) Replay(fn func(name string, data []byte) error) (err error) {
	start := time.Now()
	defer func() {
		log.Printf("telemetry: spool replay finished in %v (err=%v)", time.Since(start), err)
	}()
	names, err := s.Pending()
	if err != nil {
		return err
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(s.dir, name))
		if err != nil {
			return err
		}
		if err := fn(name, data); err != nil {
			return err
		}
	}
	return nil
}

// Size returns the total number of bytes spooled.
func (s *Spool) Size() (int64, error) {
	names, err := s.Pending()
	if err != nil {
		return 0, err
	}
	var total int64
	for _, name := range names {
		st, err := os.Stat(filepath.Join(s.dir, name))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return 0, err
		}
		total += st.Size()
	}
	return total, nil
}

// Purge deletes every spooled payload and recreates the empty directory.
func (s *Spool) Purge() error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if merr := os.MkdirAll(s.dir, 0o700); merr != nil {
			err = fmt.Errorf("telemetry: recreate spool: %w", merr)
		}
	}()
	if err = os.RemoveAll(s.dir); err != nil {
		return err
	}
	log.Printf("telemetry: spool %s purged", s.dir)
	return err
}

// Discard deletes the named payloads and reports every failure through the
// named result, including the deferred rescan.
func (s *Spool) Discard(names []string) (err error) {
	defer func() {
		if _, serr := s.Pending(); serr != nil {
			err = errors.Join(err, serr)
		}
	}()
	for _, name := range names {
		if rerr := os.Remove(filepath.Join(s.dir, filepath.Base(name))); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	}
	return err
}

// EncodeSamples renders samples as newline-delimited JSON for upload.
func EncodeSamples(samples []Sample) ([]byte, error) {
	var buf bytes.Buffer
	for _, s := range samples {
		line, err := encodeLine(s)
		if err != nil {
			return nil, fmt.Errorf("telemetry: encode %s/%s: %w", s.Device, s.Sensor, err)
		}
		buf.Write(line)
	}
	return buf.Bytes(), nil
}
