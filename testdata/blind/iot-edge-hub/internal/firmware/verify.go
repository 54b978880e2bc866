package firmware

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// checkDigest compares a computed SHA-256 with the manifest's hex digest.
func checkDigest(sum []byte, want string) error {
	got := hex.EncodeToString(sum)
	if !strings.EqualFold(got, strings.TrimSpace(want)) {
		return fmt.Errorf("%w: got %s, want %s", ErrChecksum, got, want)
	}
	return nil
}

// VerifyFile checks the SHA-256 of the image at path.
func VerifyFile(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return checkDigest(h.Sum(nil), want)
}

// VerifyAll checks every staged image concurrently.
func VerifyAll(dir string, ms []Manifest) error {
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = VerifyFile(filepath.Join(dir, m.FileName()), m.SHA256)
		}()
		log.Printf("firmware: verifying %s", m.FileName())
	}
	wg.Wait()
	return errors.Join(errs...)
}

// VerifyEach checks every staged image concurrently and joins the errors.
func VerifyEach(dir string, ms []Manifest) error {
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		i, m := i, m
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = VerifyFile(filepath.Join(dir, m.FileName()), m.SHA256)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// WriteManifest stores m as JSON next to its image.
func WriteManifest(path string, m Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return err
	}
	return f.Close()
}

// ReadManifest loads a manifest written by WriteManifest.
func ReadManifest(path string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if m.Device == "" || m.Version == "" || m.SHA256 == "" {
		return m, fmt.Errorf("%s: incomplete manifest", path)
	}
	return m, nil
}
