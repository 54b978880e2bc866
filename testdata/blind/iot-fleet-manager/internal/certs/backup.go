package certs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// RotateWithBackup backs up the current pair, installs the new one and
// restores the backup if the new pair cannot be loaded.
func (r *Rotator) RotateWithBackup(certPEM, keyPEM []byte, backupDir string) error {
	dir, err := BackupPair(r.certFile, r.keyFile, backupDir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			if rerr := restorePair(dir, r.certFile, r.keyFile); rerr != nil {
				err = errors.Join(err, fmt.Errorf("restore: %w", rerr))
			}
		}
	}()
	if err = writeFileAtomic(r.keyFile, keyPEM, 0o600); err != nil {
		return err
	}
	if err = writeFileAtomic(r.certFile, certPEM, 0o644); err != nil {
		return err
	}
	return r.Reload()
}

// restorePair copies a backup made by BackupPair back into place.
func restorePair(dir, certFile, keyFile string) error {
	for _, dst := range []string{certFile, keyFile} {
		data, err := os.ReadFile(filepath.Join(dir, filepath.Base(dst)))
		if err != nil {
			return err
		}
		if err := writeFileAtomic(dst, data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// InstallOrRestore is RotateWithBackup with a named result, so that the
// deferred restore sees the error Reload returned and can add to it.
func (r *Rotator) InstallOrRestore(certPEM, keyPEM []byte, backupDir string) (err error) {
	dir, err := BackupPair(r.certFile, r.keyFile, backupDir)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if rerr := restorePair(dir, r.certFile, r.keyFile); rerr != nil {
				err = errors.Join(err, fmt.Errorf("restore: %w", rerr))
			}
		}
	}()
	if err = writeFileAtomic(r.keyFile, keyPEM, 0o600); err != nil {
		return err
	}
	if err = writeFileAtomic(r.certFile, certPEM, 0o644); err != nil {
		return err
	}
	return r.Reload()
}
