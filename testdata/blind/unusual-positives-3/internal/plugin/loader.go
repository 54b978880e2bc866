package plugin

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
)

// Manifest describes a plugin bundle on disk.
type Manifest struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Inline string `json:"inline"`
}

// LoadManifests reads every *.json manifest in dir.
func LoadManifests(dir string) ([]Manifest, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Manifest
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		m, err := func() (Manifest, error) {
			f, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				return Manifest{}, err
			}
			defer f.Close()
			var m Manifest
			err = json.NewDecoder(f).Decode(&m)
			return m, err
		}()
		if err != nil {
			return nil, fmt.Errorf("manifest %s: %w", e.Name(), err)
		}
		out = append(out, m)
	}
	return out, nil
}

// VerifyBundles checks the checksum of every archive bundle.
func VerifyBundles(ms []Manifest) error {
	for _, m := range ms {
		switch m.Kind {
		case "archive":
			f, err := os.Open(m.Path)
			if err != nil {
				return err
			}
			defer f.Close() // HAZ defer-in-loop
			if err := verifyChecksum(f, m.SHA256); err != nil {
				return fmt.Errorf("bundle %s: %w", m.Name, err)
			}
		case "inline":
			if m.Inline == "" {
				return fmt.Errorf("bundle %s: empty inline source", m.Name)
			}
		default:
			return fmt.Errorf("bundle %s: unknown kind %q", m.Name, m.Kind)
		}
	}
	return nil
}

// verifyChecksum compares the SHA-256 of r with want (hex).
func verifyChecksum(r io.Reader, want string) error {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("checksum mismatch: got %s, want %s", got, want)
	}
	return nil
}

// opener opens a payload source for reading.
type opener func(path string) (io.ReadCloser, error)

// openers maps manifest kinds to the function that opens their payload.
var openers = map[string]opener{
	"file": func(p string) (io.ReadCloser, error) { return os.Open(p) },
	"gzip": openGzip,
}

// gzipFile closes both the decompressor and the file under it.
type gzipFile struct {
	*gzip.Reader
	f *os.File
}

// Close closes the decompressor, then the file.
func (g *gzipFile) Close() error {
	return errors.Join(g.Reader.Close(), g.f.Close())
}

// openGzip opens a gzip-compressed payload.
func openGzip(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &gzipFile{Reader: zr, f: f}, nil
}

// ReadPayload returns the payload of a bundle of the given kind.
func ReadPayload(kind, path string) ([]byte, error) {
	open, ok := openers[kind]
	if !ok {
		return nil, fmt.Errorf("no opener for kind %q", kind)
	}
	rc, err := open(path)
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return io.ReadAll(rc)
}

// ReadPayloadLimited is ReadPayload with a size cap.
func ReadPayloadLimited(kind, path string, max int64) ([]byte, error) {
	open, ok := openers[kind]
	if !ok {
		return nil, fmt.Errorf("no opener for kind %q", kind)
	}
	rc, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, max))
}

// ReadManifestFile decodes the manifest stored at path.
func ReadManifestFile(path string) (Manifest, error) {
	rc, openErr := openers["file"](path)
	defer rc.Close() // HAZ defer-before-error-check
	if openErr != nil {
		return Manifest{}, fmt.Errorf("manifest %s: %w", path, openErr)
	}
	var m Manifest
	err := json.NewDecoder(rc).Decode(&m)
	return m, err
}

// SaveManifest writes m to path, truncating an existing file when asked.
func SaveManifest(path string, m Manifest, truncate bool) error {
	flags := os.O_WRONLY | os.O_CREATE
	if truncate {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(m)
}

// SaveManifestSafe is SaveManifest with the close error reported.
func SaveManifestSafe(path string, m Manifest) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(f).Encode(m)
}

// WatchManifests validates every manifest path received on paths in the
// background.
func (h *Host) WatchManifests(paths <-chan string) {
	go func() {
		for path := range paths {
			f, err := os.Open(path)
			if err != nil {
				h.logger.Printf("manifest %s: %v", path, err)
				continue
			}
			defer f.Close() // HAZ defer-in-infinite-loop
			var m Manifest
			if err := json.NewDecoder(f).Decode(&m); err != nil {
				h.logger.Printf("manifest %s: %v", path, err)
			}
		}
	}()
}

// MustLoadAll loads every named plugin or stops the process. A marker file
// tells operators that a load is in progress.
func (h *Host) MustLoadAll(ctx context.Context, names []string, marker string) {
	if err := os.WriteFile(marker, []byte("loading\n"), 0o644); err != nil {
		log.Fatalf("marker: %v", err)
	}
	defer os.Remove(marker)
	for _, n := range names {
		if err := h.Load(ctx, n, Config{}); err != nil {
			log.Fatalf("load %s: %v", n, err) // HAZ exit-skips-defer
		}
	}
}
