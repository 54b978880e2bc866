// Package signing implements the delivery signature scheme: an HMAC-SHA256
// over "<unix timestamp>.<body>", sent as "t=<ts>,v1=<hex>".
package signing

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Header is the HTTP header carrying the signature.
const Header = "X-Webhook-Signature"

var (
	ErrMalformed = errors.New("signing: malformed signature header")
	ErrExpired   = errors.New("signing: timestamp outside tolerance")
	ErrMismatch  = errors.New("signing: no matching signature")
)

// Sign returns the header value for body sent at ts.
func Sign(secret []byte, ts time.Time, body []byte) string {
	unix := ts.Unix()
	return "t=" + strconv.FormatInt(unix, 10) + ",v1=" + hex.EncodeToString(mac(secret, unix, body))
}

func mac(secret []byte, unix int64, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(strconv.FormatInt(unix, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Parse splits a header into its timestamp and v1 signatures. Several v1
// entries are allowed while a secret is being rotated.
func Parse(header string) (int64, [][]byte, error) {
	var (
		ts    int64
		haveT bool
		sigs  [][]byte
	)
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return 0, nil, ErrMalformed
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return 0, nil, ErrMalformed
			}
			ts, haveT = n, true
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil {
				return 0, nil, ErrMalformed
			}
			sigs = append(sigs, sig)
		}
	}
	if !haveT || len(sigs) == 0 {
		return 0, nil, ErrMalformed
	}
	return ts, sigs, nil
}

// Verify checks header against body. now and tolerance bound replay attacks.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, sigs, err := Parse(header)
	if err != nil {
		return err
	}
	age := now.Sub(time.Unix(ts, 0))
	if age > tolerance || age < -tolerance {
		return ErrExpired
	}
	want := mac(secret, ts, body)
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			return nil
		}
	}
	return ErrMismatch
}

// NewSecret returns a random secret for a new subscription.
func NewSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + hex.EncodeToString(b), nil
}
