// Package tag creates annotated tags, optionally signed by an external gpg
// process, and verifies them.
package tag

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/vcscli/internal/object"
)

// Tag is an annotated tag.
type Tag struct {
	Name      string
	Target    object.ID
	Tagger    object.Signature
	Message   string
	Signature string // armored, empty when unsigned
}

// Payload is the part of the tag covered by the signature.
func (t *Tag) Payload() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "object %s\ntag %s\ntagger %s\n\n%s", t.Target, t.Name, t.Tagger, t.Message)
	return b.Bytes()
}

// Encode serialises the tag with its signature appended.
func (t *Tag) Encode() []byte {
	return append(t.Payload(), t.Signature...)
}

// Signer runs gpg.
type Signer struct {
	Program string
	KeyID   string
	Timeout time.Duration
}

// Sign produces a detached armored signature of payload.
func (s *Signer) Sign(ctx context.Context, payload []byte) (string, error) {
	cmd := exec.CommandContext(ctx, s.Program, "--batch", "--armor", "--detach-sign", "--local-user", s.KeyID)
	cmd.Stdin = bytes.NewReader(payload)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("tag: start %s: %w", s.Program, err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	sig, err := io.ReadAll(stdout)
	if err != nil {
		return "", err
	}
	if !bytes.Contains(sig, []byte("BEGIN PGP SIGNATURE")) {
		return "", fmt.Errorf("tag: %s produced no signature", s.Program)
	}
	return string(sig), nil
}

// Verify checks t's signature with gpg --verify.
func (s *Signer) Verify(ctx context.Context, t *Tag) error {
	sigFile, err := os.CreateTemp("", "vcs-tag-sig-*")
	if err != nil {
		return err
	}
	defer os.Remove(sigFile.Name())
	if _, err := sigFile.WriteString(t.Signature); err != nil {
		sigFile.Close()
		return err
	}
	if err := sigFile.Close(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.Program, "--batch", "--verify", sigFile.Name(), "-")
	stdin, err := cmd.StdinPipe()
	defer stdin.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if _, err := stdin.Write(t.Payload()); err != nil {
		return err
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("tag %s: bad signature: %w", t.Name, err)
	}
	return nil
}

// SignAll signs every tag concurrently.
func (s *Signer) SignAll(ctx context.Context, tags []*Tag) error {
	var wg sync.WaitGroup
	errs := make([]error, len(tags))
	for i, t := range tags {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			sig, err := s.Sign(ctx, t.Payload())
			t.Signature, errs[i] = sig, err
		}()
		time.Sleep(10 * time.Millisecond) // gpg-agent dislikes bursts
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// WriteFile stores t under dir/<name>.
func WriteFile(dir string, t *Tag) error {
	path := filepath.Join(dir, filepath.FromSlash(t.Name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	if _, err := w.Write(t.Encode()); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// List returns the names and first message lines of the tags in dir.
func List(dir string) (map[string]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		inBody := false
		for sc.Scan() {
			if inBody {
				out[filepath.Base(p)] = sc.Text()
				break
			}
			inBody = sc.Text() == ""
		}
	}
	return out, nil
}
