// Package sign creates detached signatures for release artifacts with gpg
// or cosign.
package sign

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strings"
	"sync"

	"example.com/releasecli/internal/config"
)

// Backend signs one file and returns the signature path.
type Backend interface {
	Sign(ctx context.Context, path string) (string, error)
	Name() string
}

// Signer signs artifacts with the configured backend.
type Signer struct {
	backend Backend
	keyID   string
	log     *log.Logger
}

// New selects the backend named in cfg.
func New(cfg config.SignConfig, logger *log.Logger) (*Signer, error) {
	var b Backend
	switch cfg.Tool {
	case "gpg":
		b = &gpgBackend{keyID: cfg.KeyID, armor: true}
	case "cosign":
		b = &cosignBackend{key: cfg.KeyID}
	default:
		return nil, fmt.Errorf("sign: unknown tool %q", cfg.Tool)
	}
	if _, err := exec.LookPath(b.Name()); err != nil {
		return nil, fmt.Errorf("sign: %s not installed: %w", b.Name(), err)
	}
	return &Signer{backend: b, keyID: cfg.KeyID, log: logger}, nil
}

type gpgBackend struct {
	keyID string
	armor bool
}

func (g *gpgBackend) Name() string { return "gpg" }

// Sign runs gpg --detach-sign and returns path + ".asc".
func (g *gpgBackend) Sign(ctx context.Context, path string) (string, error) {
	sig := path + ".asc"
	args := []string{"--batch", "--yes", "--detach-sign", "--output", sig}
	if g.armor {
		args = append(args, "--armor")
	}
	if g.keyID != "" {
		args = append(args, "--local-user", g.keyID)
	}
	args = append(args, path)
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "gpg", args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("gpg: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return sig, nil
}

type cosignBackend struct {
	key string
}

func (c *cosignBackend) Name() string { return "cosign" }

// Sign runs cosign sign-blob and writes the base64 signature next to path.
func (c *cosignBackend) Sign(ctx context.Context, path string) (string, error) {
	out, err := exec.CommandContext(ctx, "cosign", "sign-blob", "--yes", "--key", c.key, path).Output()
	if err != nil {
		return "", fmt.Errorf("cosign: %w", err)
	}
	sig := path + ".sig"
	if err := writeSignature(sig, out); err != nil {
		return "", err
	}
	return sig, nil
}

// writeSignature stores the signature bytes with a trailing newline.
func writeSignature(path string, sig []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	defer w.Flush() // HAZ defer-close-unchecked-write
	defer f.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	if _, err := w.Write(bytes.TrimSpace(sig)); err != nil {
		return err
	}
	return w.WriteByte('\n')
}

// recoverTo turns a panic in a backend into an error; defer it directly.
func recoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("sign: backend panicked: %v", r)
	}
}

// logPanic reports a backend panic to the log.
func logPanic(logger *log.Logger, what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("sign: %s panicked: %v", what, r)
	}
}

// SignFile signs one artifact.
func (s *Signer) SignFile(ctx context.Context, path string) (sig string, err error) {
	defer recoverTo(&err)
	s.log.Printf("signing %s with %s", path, s.backend.Name())
	return s.backend.Sign(ctx, path)
}

// SignAll signs the artifacts one after the other.
func (s *Signer) SignAll(ctx context.Context, paths []string) ([]string, error) {
	sigs := make([]string, 0, len(paths))
	for _, p := range paths {
		sig, err := s.SignFile(ctx, p)
		if err != nil {
			return sigs, err
		}
		sigs = append(sigs, sig)
	}
	return sigs, nil
}

// SignParallel signs the artifacts concurrently.
func (s *Signer) SignParallel(ctx context.Context, paths []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sign: panic: %v", r)
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, len(paths))
	for _, p := range paths {
		wg.Add(1)
		go func(p string) { // HAZ goroutine-outside-recover
			defer wg.Done()
			if _, err := s.backend.Sign(ctx, p); err != nil {
				errs <- err
			}
		}(p)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// SignBatch signs paths concurrently; each worker recovers its own panics.
func (s *Signer) SignBatch(ctx context.Context, paths []string) error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func(i int, p string) {
			defer wg.Done()
			defer recoverTo(&errs[i])
			_, errs[i] = s.backend.Sign(ctx, p)
		}(i, p)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// VerifyAll checks each signature; gpg is shared state, so a panic in the
// verification helper is logged and the remaining files are still checked.
func (s *Signer) VerifyAll(ctx context.Context, paths []string) int {
	bad := 0
	for _, p := range paths {
		func() {
			defer func() {
				logPanic(s.log, "verify "+p)
			}()
			if err := verifyGPG(ctx, p, p+".asc"); err != nil {
				s.log.Printf("verify %s: %v", p, err)
				bad++
			}
		}()
	}
	return bad
}

// verifyGPG checks a detached armored signature.
func verifyGPG(ctx context.Context, file, sig string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "gpg", "--batch", "--verify", sig, file)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// ListKeys returns the fingerprints of the available secret keys.
func ListKeys(ctx context.Context) ([]string, error) {
	out, err := exec.CommandContext(ctx, "gpg", "--batch", "--with-colons", "--list-secret-keys").Output()
	if err != nil {
		return nil, err
	}
	return parseKeyList(string(out)), nil
}

// parseKeyList extracts the fpr records of gpg --with-colons output.
func parseKeyList(out string) (keys []string) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	for _, line := range strings.Split(out, "\n") {
		fields := strings.Split(line, ":")
		if fields[0] == "fpr" {
			keys = append(keys, fields[9])
		}
	}
	return keys
}

// ensureKey fails when the configured key is not available.
func (s *Signer) ensureKey(ctx context.Context) error {
	if s.keyID == "" {
		return nil
	}
	keys, err := ListKeys(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if strings.HasSuffix(k, strings.ToUpper(s.keyID)) {
			return nil
		}
	}
	return errors.New("sign: key " + s.keyID + " not in keyring")
}

// Preflight checks the backend before the release starts.
func (s *Signer) Preflight(ctx context.Context) error {
	defer recover() // HAZ recover-ineffective
	if s.backend.Name() != "gpg" {
		return nil
	}
	return s.ensureKey(ctx)
}
