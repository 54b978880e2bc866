package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// fileHash returns the SHA-256 of the file at path.
func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Changed reports whether the configuration file differs from the one
// whose hash is last; SIGHUP storms from config management tools then do
// not cause needless reloads.
func (r *Reloader) Changed(last string) (bool, string, error) {
	sum, err := fileHash(r.Path())
	if err != nil {
		return false, last, err
	}
	return sum != last, sum, nil
}

// ReloadSafe reloads like Reload but turns a panic into an error;
// subscribers are notified in the background.
func (r *Reloader) ReloadSafe() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("config: reload panicked: %v", p)
		}
	}()
	c, err := Load(r.Path())
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.cur = c
	r.mu.Unlock()
	go r.broadcast(c) // HAZ goroutine-outside-recover
	return nil
}
