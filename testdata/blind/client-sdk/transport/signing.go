package transport

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Signer signs requests with an HMAC over a canonical form.
type Signer struct {
	KeyID  string
	Secret []byte
	// Now may be nil; time.Now is used then.
	Now func() time.Time
}

func (s *Signer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func canonicalHeaders(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, strings.ToLower(k))
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(h.Get(k)))
		b.WriteByte('\n')
	}
	return b.String()
}

// bodyHash reads the body through GetBody so the original stays intact.
func bodyHash(req *http.Request) (string, error) {
	sum := sha256.New()
	if req.Body == nil || req.Body == http.NoBody {
		return hex.EncodeToString(sum.Sum(nil)), nil
	}
	rc, err := req.GetBody()
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(sum, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}

// bufferBody makes req rewindable, returning the bytes read.
func bufferBody(req *http.Request) ([]byte, error) {
	if req.Body == nil {
		return nil, nil
	}
	defer req.Body.Close() // ok: request body is read-only here
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	return b, nil
}

// Sign adds the X-Sdk-Date and Authorization headers.
func (s *Signer) Sign(req *http.Request) error {
	if req.Body != nil && req.GetBody == nil {
		if _, err := bufferBody(req); err != nil {
			return err
		}
	}
	req.Header.Set("X-Sdk-Date", s.now().UTC().Format("20060102T150405Z"))
	bh, err := bodyHash(req)
	if err != nil {
		return err
	}
	canon := strings.Join([]string{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, canonicalHeaders(req.Header), bh}, "\n")
	mac := hmac.New(sha256.New, s.Secret)
	mac.Write([]byte(canon))
	req.Header.Set("Authorization", "SDK-HMAC-SHA256 Credential="+s.KeyID+", Signature="+hex.EncodeToString(mac.Sum(nil)))
	return nil
}

// SigningTransport signs every outgoing request.
type SigningTransport struct {
	Base   http.RoundTripper
	Signer *Signer
}

// RoundTrip implements http.RoundTripper.
func (t *SigningTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if err := t.Signer.Sign(r); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return t.Base.RoundTrip(r)
}
