package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"example.com/cloudstoragesdk/credentials"
)

// MaxPresignTTL is the longest validity a presigned URL may have.
const MaxPresignTTL = 7 * 24 * time.Hour

// Presigner creates URLs that grant temporary access without credentials.
type Presigner struct {
	creds  credentials.Provider
	base   *url.URL
	bucket string
	region string
	now    func() time.Time
}

// NewPresigner returns a presigner for c's bucket.
func NewPresigner(c *Client) *Presigner {
	return &Presigner{creds: c.creds, base: c.Endpoint(), bucket: c.cfg.Bucket, region: c.cfg.Region, now: time.Now}
}

// PresignGet returns a URL that downloads key for ttl.
func (p *Presigner) PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error) {
	return p.presign(ctx, "GET", key, ttl, nil)
}

// PresignPut returns a URL that uploads key with the given content type for ttl.
func (p *Presigner) PresignPut(ctx context.Context, key string, ttl time.Duration, contentType string) (string, error) {
	extra := url.Values{}
	if contentType != "" {
		extra.Set("content-type", contentType)
	}
	return p.presign(ctx, "PUT", key, ttl, extra)
}

func (p *Presigner) presign(ctx context.Context, method, key string, ttl time.Duration, extra url.Values) (string, error) {
	if ttl <= 0 || ttl > MaxPresignTTL {
		return "", fmt.Errorf("storage: presign ttl %s out of range", ttl)
	}
	creds, err := p.creds.Retrieve(ctx)
	if err != nil {
		return "", err
	}
	now := p.now().UTC()
	q := url.Values{}
	for k, vs := range extra {
		q[k] = vs
	}
	q.Set("X-Credential", creds.AccessKeyID)
	q.Set("X-Date", now.Format("20060102T150405Z"))
	q.Set("X-Expires", strconv.FormatInt(int64(ttl/time.Second), 10))
	if creds.SessionToken != "" {
		q.Set("X-Security-Token", creds.SessionToken)
	}
	u := *p.base
	u.Path = "/" + p.bucket + "/" + strings.TrimLeft(key, "/")
	sts := stringToSign(method, u.EscapedPath(), q, p.region)
	q.Set("X-Signature", signature(creds.SecretAccessKey, sts))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// canonicalQuery encodes q sorted by key, without the signature.
func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "X-Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

func stringToSign(method, path string, q url.Values, region string) string {
	return strings.Join([]string{"CS1-HMAC-SHA256", method, path, canonicalQuery(q), region}, "\n")
}

func signature(secret, sts string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(sts))
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyPresigned checks a presigned URL against secret at time now.
func VerifyPresigned(secret, region, method string, u *url.URL, now time.Time) error {
	q := u.Query()
	date, err := time.Parse("20060102T150405Z", q.Get("X-Date"))
	if err != nil {
		return fmt.Errorf("storage: bad X-Date: %w", err)
	}
	secs, err := strconv.ParseInt(q.Get("X-Expires"), 10, 64)
	if err != nil {
		return fmt.Errorf("storage: bad X-Expires: %w", err)
	}
	if now.After(date.Add(time.Duration(secs) * time.Second)) {
		return errors.New("storage: presigned URL expired")
	}
	want := signature(secret, stringToSign(method, u.EscapedPath(), q, region))
	if !hmac.Equal([]byte(want), []byte(q.Get("X-Signature"))) {
		return errors.New("storage: signature mismatch")
	}
	return nil
}
