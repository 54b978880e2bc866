package rollout

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// imageMagic starts every firmware image; it is followed by a one-byte
// length and the version string.
var imageMagic = [4]byte{'F', 'W', 'I', 'M'}

type imageHeader struct {
	Version string
}

func readImageHeader(r io.Reader) (imageHeader, error) {
	br := bufio.NewReader(r)
	var m [4]byte
	if _, err := io.ReadFull(br, m[:]); err != nil {
		return imageHeader{}, err
	}
	if m != imageMagic {
		return imageHeader{}, errors.New("rollout: not a firmware image")
	}
	n, err := br.ReadByte()
	if err != nil {
		return imageHeader{}, err
	}
	v := make([]byte, n)
	if _, err := io.ReadFull(br, v); err != nil {
		return imageHeader{}, err
	}
	return imageHeader{Version: string(v)}, nil
}

// StageImage stores an uploaded image in dir under its checksum, verifying
// it against wantSHA. Partial uploads are removed.
func StageImage(dir string, r io.Reader, wantSHA string) (path string, err error) {
	tmp, err := os.CreateTemp(dir, "upload-*.bin")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if _, err = io.Copy(io.MultiWriter(tmp, h), r); err != nil {
		return "", err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if wantSHA != "" && sum != wantSHA {
		return "", fmt.Errorf("rollout: checksum %s does not match %s", sum, wantSHA)
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	path = filepath.Join(dir, sum+".bin")
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return path, nil
}

// VerifyImage checks an image file against its expected checksum.
func VerifyImage(path, wantSHA string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSHA {
		return fmt.Errorf("rollout: %s: checksum %s, want %s", path, got, wantSHA)
	}
	return nil
}

// ImageVersions reads the version header of every staged image.
func ImageVersions(paths []string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		hdr, err := readImageHeader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[p] = hdr.Version
	}
	return out, nil
}

// ChecksumAll computes the SHA-256 of every file; each file is closed
// before the next one is opened.
func ChecksumAll(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
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
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		sums[p] = sum
	}
	return sums, nil
}
