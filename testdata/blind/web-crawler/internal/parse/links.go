// Package parse extracts links and a little metadata from fetched HTML. It
// uses a small tag scanner instead of a full HTML parser: the crawler only
// needs the link attributes.
package parse

import (
	"bytes"
	"net/url"
	"strings"
)

// linkAttr maps the tags that carry links to the attribute holding the URL.
var linkAttr = map[string]string{
	"a":      "href",
	"area":   "href",
	"frame":  "src",
	"iframe": "src",
	"link":   "href",
}

// Extract returns the absolute http(s) links of body, resolved against base
// or against the document's <base href>, in document order and without
// duplicates.
func Extract(base *url.URL, body []byte) (links []*url.URL) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// malformed markup: keep whatever was extracted so far
		}
	}()
	if href, ok := baseHref(body); ok {
		if u, err := base.Parse(href); err == nil {
			base = u
		}
	}
	seen := make(map[string]bool)
	for i := 0; i < len(body); {
		tag, next := nextTag(body, i)
		if tag == nil {
			break
		}
		i = next
		attr := linkAttr[tagName(tag)]
		if attr == "" {
			continue
		}
		v, ok := attrValue(tag, attr)
		if !ok {
			continue
		}
		u, ok := resolve(base, v)
		if !ok || seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		links = append(links, u)
	}
	return links
}

// nextTag returns the inside of the next tag at or after i (without the
// angle brackets) and the offset just past it. Comments are skipped.
func nextTag(body []byte, i int) ([]byte, int) {
	for {
		start := bytes.IndexByte(body[i:], '<')
		if start < 0 {
			return nil, len(body)
		}
		start += i
		if bytes.HasPrefix(body[start:], []byte("<!--")) {
			end := bytes.Index(body[start+4:], []byte("-->"))
			if end < 0 {
				return nil, len(body)
			}
			i = start + 4 + end + 3
			continue
		}
		end := bytes.IndexByte(body[start:], '>')
		if end < 0 {
			return nil, len(body)
		}
		return body[start+1 : start+end], start + end + 1
	}
}

// tagName returns the lower-cased element name of a tag.
func tagName(tag []byte) string {
	end := 0
	for end < len(tag) && tag[end] != ' ' && tag[end] != '\t' && tag[end] != '\n' && tag[end] != '/' {
		end++
	}
	return strings.ToLower(string(tag[:end]))
}

// attrValue returns the value of attribute name in tag.
func attrValue(tag []byte, name string) (string, bool) {
	lower := bytes.ToLower(tag)
	key := []byte(name + "=")
	for off := 0; ; {
		i := bytes.Index(lower[off:], key)
		if i < 0 {
			return "", false
		}
		i += off
		off = i + len(key)
		if i > 0 && lower[i-1] != ' ' && lower[i-1] != '\t' && lower[i-1] != '\n' {
			continue
		}
		rest := tag[off:]
		if len(rest) == 0 {
			return "", false
		}
		if q := rest[0]; q == '"' || q == '\'' {
			end := bytes.IndexByte(rest[1:], q)
			if end < 0 {
				return "", false
			}
			return string(rest[1 : 1+end]), true
		}
		end := bytes.IndexAny(rest, " \t\n")
		if end < 0 {
			end = len(rest)
		}
		return string(rest[:end]), true
	}
}

// baseHref returns the href of the document's <base> element.
func baseHref(body []byte) (string, bool) {
	for i := 0; i < len(body); {
		tag, next := nextTag(body, i)
		if tag == nil {
			return "", false
		}
		i = next
		switch tagName(tag) {
		case "base":
			return attrValue(tag, "href")
		case "body":
			return "", false
		}
	}
	return "", false
}

// resolve turns ref into an absolute http(s) URL without fragment.
func resolve(base *url.URL, ref string) (*url.URL, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return nil, false
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	u.Fragment = ""
	u.RawFragment = ""
	return u, true
}

// Normalize returns the dedup key of u: lower-case scheme and host, no
// default port, no fragment, "/" for an empty path.
func Normalize(u *url.URL) string {
	v := *u
	v.Scheme = strings.ToLower(v.Scheme)
	host := strings.ToLower(v.Host)
	if (v.Scheme == "http" && strings.HasSuffix(host, ":80")) || (v.Scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	v.Host = host
	v.Fragment, v.RawFragment = "", ""
	if v.Path == "" {
		v.Path = "/"
	}
	return v.String()
}
