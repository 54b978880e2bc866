// Command fleet-certrotate renews the device-facing certificate of an
// edge site: it backs up the current pair, installs the new one and asks
// fleetd to reload it.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/fleet/internal/certs"
)

func main() {
	certFile := flag.String("cert", "/etc/fleetd/tls.crt", "certificate to replace")
	keyFile := flag.String("key", "/etc/fleetd/tls.key", "key to replace")
	newCert := flag.String("new-cert", "", "new certificate (PEM)")
	newKey := flag.String("new-key", "", "new key (PEM)")
	backupDir := flag.String("backup", "/var/backups/fleetd", "backup directory")
	api := flag.String("api", "http://127.0.0.1:8080", "fleetd API to notify")
	flag.Parse()

	certPEM, keyPEM, err := readPair(*newCert, *newKey)
	if err != nil {
		log.Fatalf("fleet-certrotate: %v", err)
	}
	lock := filepath.Join(filepath.Dir(*certFile), ".rotate.lock")
	release, err := takeLock(lock)
	if err != nil {
		log.Fatalf("fleet-certrotate: %v", err)
	}
	defer release()

	dir, err := certs.BackupPair(*certFile, *keyFile, *backupDir)
	if err != nil {
		log.Printf("fleet-certrotate: backup failed: %v", err)
		os.Exit(1) // HAZ exit-skips-defer
	}
	log.Printf("fleet-certrotate: backed up current pair to %s", dir)
	if err := notifyFleetd(*api, certPEM, keyPEM); err != nil {
		log.Printf("fleet-certrotate: %v (the backup is in %s)", err, dir)
	}
}

// readPair reads the new pair and checks that it matches.
func readPair(certPath, keyPath string) ([]byte, []byte, error) {
	if certPath == "" || keyPath == "" {
		return nil, nil, errors.New("-new-cert and -new-key are required")
	}
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
		return nil, nil, fmt.Errorf("new pair: %w", err)
	}
	return certPEM, keyPEM, nil
}

// takeLock creates the rotation lock file exclusively.
func takeLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("another rotation is running (%s): %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// notifyFleetd hands the new pair to fleetd's rotate endpoint.
func notifyFleetd(api string, certPEM, keyPEM []byte) error {
	body := fmt.Sprintf(`{"cert_pem":%q,"key_pem":%q}`, certPEM, keyPEM)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/v1/certs/rotate", bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("FLEET_TOKEN"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fleetd refused the pair: %s", resp.Status)
	}
	return nil
}
