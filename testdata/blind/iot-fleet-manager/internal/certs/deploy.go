package certs

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// InstallForProxy installs a new pair and tells the local TLS-terminating
// proxy to reload it.
func (r *Rotator) InstallForProxy(certPEM, keyPEM []byte) error {
	reload := exec.Command("systemctl", "reload", "fleet-proxy")
	defer reload.Run() // HAZ defer-blocking-call
	if err := writeFileAtomic(r.keyFile, keyPEM, 0o600); err != nil {
		return err
	}
	if err := writeFileAtomic(r.certFile, certPEM, 0o644); err != nil {
		return err
	}
	return r.Reload()
}

// ReloadProxy asks the proxy to reload, bounded by timeout.
func ReloadProxy(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "systemctl", "reload", "fleet-proxy").CombinedOutput()
	if err != nil {
		return fmt.Errorf("certs: reload proxy: %w: %s", err, out)
	}
	return nil
}

// ArchivePair stores the certificate and key in a zip file for the
// off-site backup.
func ArchivePair(certFile, keyFile, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	for _, src := range []string{certFile, keyFile} {
		if err := addToZip(zw, src); err != nil {
			return err
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// addToZip copies one file into the archive.
func addToZip(zw *zip.Writer, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := zw.Create(filepath.Base(src))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// WriteArchive is ArchivePair with the writers closed innermost first and
// every close checked.
func WriteArchive(dst string, files ...string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	for _, src := range files {
		if err := addToZip(zw, src); err != nil {
			zw.Close()
			return err
		}
	}
	return zw.Close()
}
