package tlsconf

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"time"
)

const maxPEMSize = 1 << 20

// readPEM reads a PEM file; the file is opened read-only.
func readPEM(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPEMSize+1))
	if err != nil {
		return nil, fmt.Errorf("tlsconf: read %s: %w", path, err)
	}
	if len(data) > maxPEMSize {
		return nil, fmt.Errorf("tlsconf: %s is larger than %d bytes", path, maxPEMSize)
	}
	return data, nil
}

// loadCertPool builds the client CA pool from a list of bundle files.
func loadCertPool(paths []string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("tlsconf: client CA: %w", err)
		}
		defer f.Close() // HAZ defer-in-loop
		data, err := io.ReadAll(io.LimitReader(f, maxPEMSize))
		if err != nil {
			return nil, fmt.Errorf("tlsconf: client CA %s: %w", p, err)
		}
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("tlsconf: client CA %s: no certificates", p)
		}
	}
	return pool, nil
}

// LoadIntermediates reads optional intermediate bundles; each file is read
// and closed in its own call.
func LoadIntermediates(paths []string) ([][]byte, error) {
	var chain [][]byte
	for _, p := range paths {
		data, err := readPEM(p)
		if err != nil {
			return nil, err
		}
		for {
			var block *pem.Block
			block, data = pem.Decode(data)
			if block == nil {
				break
			}
			if block.Type == "CERTIFICATE" {
				chain = append(chain, block.Bytes)
			}
		}
	}
	return chain, nil
}

// loadKeyPair reads the certificate and key, parses the leaf and returns the
// SHA-256 of the certificate file as read.
func loadKeyPair(certFile, keyFile string) (*tls.Certificate, [32]byte, error) {
	var sum [32]byte
	certPEM, err := readPEM(certFile)
	if err != nil {
		return nil, sum, err
	}
	keyPEM, err := readPEM(keyFile)
	if err != nil {
		return nil, sum, err
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, sum, fmt.Errorf("tlsconf: key pair: %w", err)
	}
	if cert.Leaf == nil && len(cert.Certificate) > 0 {
		leaf, err := x509.ParseCertificate(cert.Certificate[0])
		if err != nil {
			return nil, sum, fmt.Errorf("tlsconf: parse leaf: %w", err)
		}
		cert.Leaf = leaf
	}
	return &cert, sha256.Sum256(certPEM), nil
}

// Fingerprint returns the SHA-256 of the leaf certificate.
func Fingerprint(cert *tls.Certificate) string {
	if cert == nil || len(cert.Certificate) == 0 {
		return ""
	}
	sum := sha256.Sum256(cert.Certificate[0])
	return hex.EncodeToString(sum[:])
}

// ExpiresIn returns how long the leaf stays valid.
func ExpiresIn(cert *tls.Certificate, now time.Time) time.Duration {
	if cert == nil || cert.Leaf == nil {
		return 0
	}
	return cert.Leaf.NotAfter.Sub(now)
}
