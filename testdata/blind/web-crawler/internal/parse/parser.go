package parse

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"log"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
)

// Document is what the crawler keeps of a parsed page.
type Document struct {
	URL      *url.URL
	Title    string
	Links    []*url.URL
	NoFollow bool
}

// Parser turns fetched bodies into Documents.
type Parser struct {
	log      *log.Logger
	maxLinks int
	parsed   atomic.Int64
}

// NewParser returns a parser that keeps at most maxLinks links per page.
func NewParser(logger *log.Logger, maxLinks int) *Parser {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	if maxLinks <= 0 {
		maxLinks = 1000
	}
	return &Parser{log: logger, maxLinks: maxLinks}
}

// Parse extracts the title, the robots meta directive and the links of an
// HTML page. Non-HTML bodies yield a Document without links.
func (p *Parser) Parse(u *url.URL, contentType string, body []byte) *Document {
	defer func() {
		logPanic(p.log, u.String())
		p.parsed.Add(1)
	}()
	doc := &Document{URL: u}
	if !isHTML(contentType, body) {
		return doc
	}
	doc.Title = title(body)
	doc.NoFollow = metaNoFollow(body)
	if doc.NoFollow {
		return doc
	}
	links := Extract(u, body)
	if len(links) > p.maxLinks {
		links = links[:p.maxLinks]
	}
	doc.Links = links
	return doc
}

// logPanic logs a panic raised while parsing page.
func logPanic(logger *log.Logger, page string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("parse %s: panic: %v\n%s", page, r, debug.Stack())
	}
}

// Parsed returns the number of pages parsed so far.
func (p *Parser) Parsed() int64 {
	return p.parsed.Load()
}

func isHTML(contentType string, body []byte) bool {
	if contentType != "" {
		return strings.Contains(strings.ToLower(contentType), "html")
	}
	head := bytes.ToLower(body[:min(len(body), 512)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html"))
}

// title returns the text of the first <title> element.
func title(body []byte) string {
	lower := bytes.ToLower(body)
	start := bytes.Index(lower, []byte("<title"))
	if start < 0 {
		return ""
	}
	gt := bytes.IndexByte(lower[start:], '>')
	if gt < 0 {
		return ""
	}
	from := start + gt + 1
	end := bytes.Index(lower[from:], []byte("</title"))
	if end < 0 {
		return ""
	}
	return strings.Join(strings.Fields(html.UnescapeString(string(body[from:from+end]))), " ")
}

// metaNoFollow reports whether a robots meta tag forbids following links.
func metaNoFollow(body []byte) bool {
	for i := 0; i < len(body); {
		tag, next := nextTag(body, i)
		if tag == nil {
			return false
		}
		i = next
		if tagName(tag) != "meta" {
			continue
		}
		if name, _ := attrValue(tag, "name"); !strings.EqualFold(name, "robots") {
			continue
		}
		content, _ := attrValue(tag, "content")
		return strings.Contains(strings.ToLower(content), "nofollow")
	}
	return false
}

type urlset struct {
	URLs []struct {
		Loc string `xml:"loc"`
	} `xml:"url"`
}

// ParseSitemap returns at most limit page URLs listed in a sitemap.xml body.
func ParseSitemap(r io.Reader, limit int) (locs []string, err error) {
	defer recoverParse(&err)
	var set urlset
	if err := xml.NewDecoder(io.LimitReader(r, 10<<20)).Decode(&set); err != nil {
		return nil, fmt.Errorf("sitemap: %w", err)
	}
	for _, u := range set.URLs {
		loc := strings.TrimSpace(u.Loc)
		if loc == "" {
			continue
		}
		locs = append(locs, loc)
		if len(locs) == limit {
			break
		}
	}
	return locs, nil
}

// recoverParse turns a panic in a parser into an error; it must be deferred
// directly.
func recoverParse(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("parse: recovered from panic: %v", r)
	}
}
