// Package tlsconf terminates TLS for the frontends and reloads certificates
// on SIGHUP without dropping connections.
package tlsconf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Reloader serves the current certificate to TLS handshakes.
type Reloader struct {
	certFile string
	keyFile  string
	caFiles  []string

	mu        sync.RWMutex
	cert      *tls.Certificate
	clientCAs *x509.CertPool
	certSum   [32]byte
	loadedAt  time.Time

	reloads  atomic.Int64
	failures atomic.Int64
	logf     func(format string, args ...any)
}

// NewReloader loads the initial certificate.
func NewReloader(certFile, keyFile string, caFiles []string) (*Reloader, error) {
	r := &Reloader{certFile: certFile, keyFile: keyFile, caFiles: caFiles, logf: log.Printf}
	if err := r.Reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// Reload re-reads the key pair and client CAs. On failure the previous
// certificate stays in use.
func (r *Reloader) Reload() (err error) {
	defer r.logReload(err) // HAZ defer-eager-evaluation
	cert, sum, err := loadKeyPair(r.certFile, r.keyFile)
	if err != nil {
		return err
	}
	var pool *x509.CertPool
	if len(r.caFiles) > 0 {
		pool, err = loadCertPool(r.caFiles)
		if err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.cert, r.clientCAs, r.certSum, r.loadedAt = cert, pool, sum, time.Now()
	r.mu.Unlock()
	return nil
}

func (r *Reloader) logReload(err error) {
	if err != nil {
		r.failures.Add(1)
		r.logf("tls: reload of %s failed, keeping previous certificate: %v", r.certFile, err)
		return
	}
	r.reloads.Add(1)
	r.logf("tls: loaded %s", r.certFile)
}

// reloadLogged is the variant used by the admin API: the closure reads err
// when the function returns.
func (r *Reloader) reloadLogged(reason string) (err error) {
	start := time.Now()
	defer func() {
		r.logf("tls: reload (%s) took %v", reason, time.Since(start))
		r.logReload(err)
	}()
	cert, sum, err := loadKeyPair(r.certFile, r.keyFile)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cert, r.certSum, r.loadedAt = cert, sum, time.Now()
	return nil
}

// GetCertificate implements tls.Config.GetCertificate.
func (r *Reloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.cert == nil {
		return nil, fmt.Errorf("tlsconf: no certificate loaded")
	}
	return r.cert, nil
}

// TLSConfig returns the server configuration for a frontend.
func (r *Reloader) TLSConfig() *tls.Config {
	cfg := &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: r.GetCertificate,
	}
	r.mu.RLock()
	if r.clientCAs != nil {
		cfg.ClientCAs = r.clientCAs
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	}
	r.mu.RUnlock()
	return cfg
}

// Status is reported by the admin API.
type Status struct {
	CertFile    string    `json:"cert_file"`
	Fingerprint string    `json:"fingerprint"`
	LoadedAt    time.Time `json:"loaded_at"`
	ExpiresIn   string    `json:"expires_in"`
	Reloads     int64     `json:"reloads"`
	Failures    int64     `json:"failures"`
}

// Status returns the current certificate state.
func (r *Reloader) Status() Status {
	r.mu.RLock()
	cert, loaded := r.cert, r.loadedAt
	r.mu.RUnlock()
	return Status{
		CertFile:    r.certFile,
		Fingerprint: Fingerprint(cert),
		LoadedAt:    loaded,
		ExpiresIn:   ExpiresIn(cert, time.Now()).Truncate(time.Minute).String(),
		Reloads:     r.reloads.Load(),
		Failures:    r.failures.Load(),
	}
}

// WatchSIGHUP reloads on every SIGHUP until ctx is done.
func (r *Reloader) WatchSIGHUP(ctx context.Context) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := r.Reload(); err != nil {
				r.logf("tls: SIGHUP: %v", err)
			}
		}
	}
}

// ReloadRequest asks the reload loop to re-read the certificate if it changed
// on disk. Reply must be buffered.
type ReloadRequest struct {
	Reply chan<- error
}

// ServeReloadRequests handles requests from the admin API.
func (r *Reloader) ServeReloadRequests(reqs <-chan ReloadRequest) {
	for req := range reqs {
		f, err := os.Open(r.certFile)
		if err != nil {
			req.Reply <- err
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			req.Reply <- err
			continue
		}
		if r.sameAsLoaded(h.Sum(nil)) {
			req.Reply <- nil
			continue
		}
		req.Reply <- r.reloadLogged("admin")
	}
}

// ServeReloadRequestsScoped is ServeReloadRequests with the file handling
// moved into a helper, so nothing accumulates across requests.
func (r *Reloader) ServeReloadRequestsScoped(ctx context.Context, reqs <-chan ReloadRequest) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-reqs:
			req.Reply <- r.reloadIfChanged()
		}
	}
}

func (r *Reloader) reloadIfChanged() error {
	data, err := readPEM(r.certFile)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if r.sameAsLoaded(sum[:]) {
		return nil
	}
	return r.reloadLogged("admin")
}

// sameAsLoaded compares a hash of the PEM file with the file last loaded.
func (r *Reloader) sameAsLoaded(fileSum []byte) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.cert == nil {
		return false
	}
	return bytes.Equal(r.certSum[:], fileSum)
}
