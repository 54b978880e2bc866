// Package seal encrypts and authenticates blobs with AES-256-GCM before they
// are written into pack files.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// KeySize is the size of a repository master key.
const KeySize = 32

// ErrAuth is returned when a sealed blob fails authentication.
var ErrAuth = errors.New("seal: message authentication failed")

// Sealer seals and opens blobs with one repository key.
type Sealer struct {
	aead cipher.AEAD
}

// New returns a Sealer for key.
func New(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain under a fresh random nonce, which is prepended.
func (s *Sealer) Seal(plain []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	nonce := make([]byte, ns, ns+len(plain)+s.aead.Overhead())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	return s.aead.Seal(nonce, nonce, plain, nil), nil
}

// Open authenticates and decrypts a blob produced by Seal.
func (s *Sealer) Open(sealed []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(sealed) < ns+s.aead.Overhead() {
		return nil, ErrAuth
	}
	plain, err := s.aead.Open(nil, sealed[:ns], sealed[ns:], nil)
	if err != nil {
		return nil, ErrAuth
	}
	return plain, nil
}

// NewKey returns a random master key.
func NewKey() ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(rand.Reader, key); err != nil {
		return nil, err
	}
	return key, nil
}

// LoadKeyFile reads a hex-encoded key file.
func LoadKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	raw, err := io.ReadAll(io.LimitReader(f, 4*KeySize))
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("seal: key file %s: %w", path, err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: key file %s: %d bytes, want %d", path, len(key), KeySize)
	}
	return key, nil
}

// WriteKeyFile stores key hex-encoded in a new file readable only by the owner.
func WriteKeyFile(path string, key []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		return err
	}
	return f.Sync()
}
