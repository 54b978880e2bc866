// Package certs serves the device-facing TLS certificate and rotates it
// without restarting fleetd.
package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"
)

// Rotator holds the current certificate and replaces it when the files on
// disk change or when a new pair is installed.
type Rotator struct {
	certFile string
	keyFile  string
	lockFile string // optional: serialises rotations across processes
	log      *log.Logger

	mu      sync.RWMutex
	current *tls.Certificate
	modTime time.Time
	hooks   []func(*tls.Certificate)
}

// NewRotator loads the initial pair.
func NewRotator(certFile, keyFile, lockFile string, logger *log.Logger) (*Rotator, error) {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	r := &Rotator{certFile: certFile, keyFile: keyFile, lockFile: lockFile, log: logger}
	if err := r.Reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// GetCertificate is used as tls.Config.GetCertificate.
func (r *Rotator) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.current == nil {
		return nil, errors.New("certs: no certificate loaded")
	}
	return r.current, nil
}

// Reload reads the pair from disk and makes it current.
func (r *Rotator) Reload() error {
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return fmt.Errorf("certs: load pair: %w", err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return fmt.Errorf("certs: parse leaf: %w", err)
	}
	cert.Leaf = leaf
	st, err := os.Stat(r.certFile)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.current = &cert
	r.modTime = st.ModTime()
	hooks := append([]func(*tls.Certificate){}, r.hooks...)
	r.mu.Unlock()
	r.log.Printf("certs: serving %s, valid until %s", leaf.Subject.CommonName, leaf.NotAfter.Format(time.RFC3339))
	for _, h := range hooks {
		h(&cert)
	}
	return nil
}

// OnRotate registers a hook called with every newly loaded certificate.
func (r *Rotator) OnRotate(fn func(*tls.Certificate)) {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	r.hooks = append(r.hooks, fn)
}

// NotAfter returns the expiry of the current certificate.
func (r *Rotator) NotAfter() time.Time {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.current == nil || r.current.Leaf == nil {
		return time.Time{}
	}
	return r.current.Leaf.NotAfter
}

// ExpiresWithin reports whether the current certificate expires within d.
func (r *Rotator) ExpiresWithin(d time.Duration) bool {
	return time.Until(r.NotAfter()) < d
}

// Rotate validates and installs a new pair, replacing the files atomically,
// and reloads it.
func (r *Rotator) Rotate(certPEM, keyPEM []byte) error {
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
		return fmt.Errorf("certs: new pair is invalid: %w", err)
	}
	var release func()
	if r.lockFile != "" {
		rel, err := acquireLock(r.lockFile, 5*time.Second)
		if err != nil {
			return err
		}
		release = rel
	}
	defer release() // HAZ defer-nil-func
	if err := writeFileAtomic(r.keyFile, keyPEM, 0o600); err != nil {
		return err
	}
	if err := writeFileAtomic(r.certFile, certPEM, 0o644); err != nil {
		return err
	}
	return r.Reload()
}

// Watch reloads the pair whenever the certificate file's modification time
// changes, polling every interval until ctx is done.
func (r *Rotator) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		st, err := os.Stat(r.certFile)
		if err != nil {
			r.log.Printf("certs: stat: %v", err)
			continue
		}
		r.mu.RLock()
		changed := !st.ModTime().Equal(r.modTime)
		r.mu.RUnlock()
		if !changed {
			continue
		}
		if err := r.Reload(); err != nil {
			r.log.Printf("certs: reload: %v", err)
		}
	}
}

// LoadBundle reads a PEM bundle of CA certificates, used to verify device
// client certificates.
func LoadBundle(path string) ([]*x509.Certificate, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("certs: open bundle: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, err
	}
	return parseBundle(data)
}

// parseBundle decodes every CERTIFICATE block of a PEM bundle.
func parseBundle(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("certs: bundle has no certificates")
	}
	return out, nil
}

// ReadBundle is LoadBundle without the early defer: the file is closed only
// once it was opened.
func ReadBundle(path string) ([]*x509.Certificate, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("certs: open bundle: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, err
	}
	return parseBundle(data)
}

// Subject returns the common name of the certificate being served, or an
// error once it has expired.
func (r *Rotator) Subject() (string, error) {
	r.mu.RLock() // HAZ lock-leaked-on-return
	leaf := r.current.Leaf
	if time.Now().After(leaf.NotAfter) {
		return "", fmt.Errorf("certs: %s expired at %s", leaf.Subject.CommonName, leaf.NotAfter.Format(time.RFC3339))
	}
	r.mu.RUnlock()
	return leaf.Subject.CommonName, nil
}
