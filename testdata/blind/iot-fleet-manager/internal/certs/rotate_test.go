package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func selfSigned(t *testing.T, cn string, notAfter time.Time) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     notAfter,
		DNSNames:     []string{cn},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func TestRotateReplacesCertificate(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	c1, k1 := selfSigned(t, "fleet-a", time.Now().Add(24*time.Hour))
	if err := writeFileAtomic(certFile, c1, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(keyFile, k1, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := NewRotator(certFile, keyFile, filepath.Join(dir, "rotate.lock"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.ExpiresWithin(48 * time.Hour) {
		t.Fatal("first certificate should expire within 48h")
	}
	c2, k2 := selfSigned(t, "fleet-b", time.Now().Add(90*24*time.Hour))
	if err := r.Rotate(c2, k2); err != nil {
		t.Fatal(err)
	}
	got, err := r.GetCertificate(nil)
	if err != nil || got.Leaf.Subject.CommonName != "fleet-b" {
		t.Fatalf("serving %v, %v", got.Leaf.Subject.CommonName, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "rotate.lock")); !os.IsNotExist(err) {
		t.Fatal("rotation lock not released")
	}
}

func TestReadBundle(t *testing.T) {
	dir := t.TempDir()
	c, _ := selfSigned(t, "ca", time.Now().Add(time.Hour))
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, c, 0o644); err != nil {
		t.Fatal(err)
	}
	certs, err := ReadBundle(path)
	if err != nil || len(certs) != 1 {
		t.Fatalf("certs=%d err=%v", len(certs), err)
	}
	if _, err := ReadBundle(filepath.Join(dir, "missing.pem")); err == nil {
		t.Fatal("missing bundle accepted")
	}
}
