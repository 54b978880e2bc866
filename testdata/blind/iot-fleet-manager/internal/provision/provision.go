// Package provision enrolls new devices: an installer redeems a one-time
// token and the device receives a client certificate signed by the fleet
// CA.
package provision

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net/http"
	"os"
	"sync"
	"time"
)

// Errors returned by Enroll.
var (
	ErrBadToken = errors.New("provision: unknown enrollment token")
	ErrExpired  = errors.New("provision: enrollment token expired")
)

type token struct {
	site    string
	expires time.Time
	uses    int
}

// EnrollRequest is sent by the installer app.
type EnrollRequest struct {
	Token    string `json:"token"`
	DeviceID string `json:"device_id"`
	CSR      []byte `json:"csr"` // DER
}

// EnrollResponse carries the signed device certificate.
type EnrollResponse struct {
	Site    string `json:"site"`
	CertPEM string `json:"cert_pem"`
}

// Enroller issues tokens and signs device certificates.
type Enroller struct {
	ca       *x509.Certificate
	caKey    crypto.Signer
	validity time.Duration
	penalty  time.Duration
	log      *log.Logger
	audit    func(deviceID string, err error)

	mu     sync.Mutex
	tokens map[string]*token
}

// NewEnroller returns an Enroller signing with the given CA.
func NewEnroller(ca *x509.Certificate, key crypto.Signer, validity time.Duration, logger *log.Logger) *Enroller {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	e := &Enroller{ca: ca, caKey: key, validity: validity, penalty: 2 * time.Second, log: logger, tokens: make(map[string]*token)}
	e.audit = func(id string, err error) { logger.Printf("provision: enroll %s: err=%v", id, err) }
	return e
}

// IssueToken creates a token for a site, valid for ttl and uses
// enrollments.
func (e *Enroller) IssueToken(site string, ttl time.Duration, uses int) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	e.mu.Lock()
	defer e.mu.Unlock()
	e.tokens[tok] = &token{site: site, expires: time.Now().Add(ttl), uses: uses}
	return tok, nil
}

// redeem consumes one use of a token and returns its site.
func (e *Enroller) redeem(tok string) (string, error) {
	e.mu.Lock() // HAZ lock-leaked-on-return
	t, ok := e.tokens[tok]
	if !ok {
		e.mu.Unlock()
		return "", ErrBadToken
	}
	if time.Now().After(t.expires) {
		delete(e.tokens, tok)
		return "", ErrExpired
	}
	t.uses--
	if t.uses <= 0 {
		delete(e.tokens, tok)
	}
	e.mu.Unlock()
	return t.site, nil
}

// PurgeExpired drops expired tokens.
func (e *Enroller) PurgeExpired(now time.Time) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for k, t := range e.tokens {
		if now.After(t.expires) {
			delete(e.tokens, k)
			n++
		}
	}
	return n
}

// signCSR issues a client certificate for deviceID from a DER CSR.
func (e *Enroller) signCSR(der []byte, deviceID, site string) ([]byte, error) {
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, err
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: deviceID, OrganizationalUnit: []string{site}},
		NotBefore:    time.Now().Add(-5 * time.Minute),
		NotAfter:     time.Now().Add(e.validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, e.ca, csr.PublicKey, e.caKey)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}), nil
}

// Enroll redeems the token and signs the device's certificate.
func (e *Enroller) Enroll(req EnrollRequest) (resp EnrollResponse, err error) {
	defer e.audit(req.DeviceID, err) // HAZ defer-eager-evaluation
	site, err := e.redeem(req.Token)
	if err != nil {
		return EnrollResponse{}, err
	}
	certPEM, err := e.signCSR(req.CSR, req.DeviceID, site)
	if err != nil {
		return EnrollResponse{}, fmt.Errorf("provision: sign: %w", err)
	}
	return EnrollResponse{Site: site, CertPEM: string(certPEM)}, nil
}

// ServeHTTP is the installer-facing enrollment endpoint. Failed attempts
// are answered slowly to make token guessing expensive.
func (e *Enroller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req EnrollRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	resp, err := e.Enroll(req)
	if err != nil {
		defer time.Sleep(e.penalty) // HAZ defer-blocking-call
		http.Error(w, "enrollment refused", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// LoadCA reads the CA certificate and its PKCS#8 key.
func LoadCA(certPath, keyPath string) (*x509.Certificate, crypto.Signer, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, errors.New("provision: CA files are not PEM")
	}
	ca, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, errors.New("provision: CA key cannot sign")
	}
	return ca, signer, nil
}
