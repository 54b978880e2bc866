// Package paginate provides paginators over token-based list APIs.
package paginate

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
)

// Page is one page of results.
type Page[T any] struct {
	Items     []T    `json:"items"`
	NextToken string `json:"next_token"`
}

// FetchFunc fetches the page identified by token ("" for the first page).
type FetchFunc[T any] func(ctx context.Context, token string) (Page[T], error)

// Pager walks pages one at a time.
type Pager[T any] struct {
	fetch   FetchFunc[T]
	token   string
	started bool
	done    bool
	// OnPage may be nil.
	OnPage func(items int, next string)
}

// New returns a pager over fetch.
func New[T any](fetch FetchFunc[T]) *Pager[T] {
	return &Pager[T]{fetch: fetch}
}

// More reports whether another page may be fetched.
func (p *Pager[T]) More() bool { return !p.done }

// Next fetches the next page.
func (p *Pager[T]) Next(ctx context.Context) ([]T, error) {
	if p.done {
		return nil, errors.New("paginate: no more pages")
	}
	page, err := p.fetch(ctx, p.token)
	if err != nil {
		return nil, err
	}
	p.started = true
	p.token = page.NextToken
	p.done = page.NextToken == ""
	if p.OnPage != nil {
		p.OnPage(len(page.Items), page.NextToken)
	}
	return page.Items, nil
}

// All drains the pager.
func (p *Pager[T]) All(ctx context.Context) ([]T, error) {
	var out []T
	for p.More() {
		items, err := p.Next(ctx)
		if err != nil {
			return out, err
		}
		out = append(out, items...)
	}
	return out, nil
}

// Object is a listed object.
type Object struct {
	Key  string `json:"key"`
	Size int64  `json:"size"`
}

func pageURL(base, token string) string {
	if token == "" {
		return base
	}
	return base + "?page_token=" + url.QueryEscape(token)
}

// ListObjects fetches every page of a JSON list endpoint.
func ListObjects(ctx context.Context, hc *http.Client, base string) ([]Object, error) {
	var out []Object
	token := ""
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL(base, token), nil)
		if err != nil {
			return nil, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		var page Page[Object]
		if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextToken == "" {
			return out, nil
		}
		token = page.NextToken
	}
}

func fetchObjectPage(ctx context.Context, hc *http.Client, u string) (Page[Object], error) {
	var page Page[Object]
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return page, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return page, err
	}
	defer resp.Body.Close() // ok: one body per call
	if resp.StatusCode != http.StatusOK {
		return page, fmt.Errorf("paginate: %s", resp.Status)
	}
	err = json.NewDecoder(resp.Body).Decode(&page)
	return page, err
}

// ListObjectsScoped is ListObjects with each body closed per page.
func ListObjectsScoped(ctx context.Context, hc *http.Client, base string) ([]Object, error) {
	var out []Object
	token := ""
	for {
		page, err := fetchObjectPage(ctx, hc, pageURL(base, token))
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextToken == "" {
			return out, nil
		}
		token = page.NextToken
	}
}

// CountObjects counts objects, closing each body in a per-page closure.
func CountObjects(ctx context.Context, hc *http.Client, base string) (int, error) {
	n := 0
	token := ""
	for {
		var page Page[Object]
		err := func() error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL(base, token), nil)
			if err != nil {
				return err
			}
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close() // ok: inside a per-iteration function literal
			return json.NewDecoder(resp.Body).Decode(&page)
		}()
		if err != nil {
			return n, err
		}
		n += len(page.Items)
		if page.NextToken == "" {
			return n, nil
		}
		token = page.NextToken
	}
}

// FetchPages fetches known page tokens concurrently.
func FetchPages[T any](ctx context.Context, fetch FetchFunc[T], tokens []string) ([]Page[T], error) {
	var wg sync.WaitGroup
	pages := make([]Page[T], len(tokens))
	errs := make([]error, len(tokens))
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			p, err := fetch(ctx, tok)
			if err != nil {
				errs[i] = err
				return
			}
			pages[i] = p
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return pages, errors.Join(errs...)
}

// FetchPagesSafe is FetchPages with Done deferred.
func FetchPagesSafe[T any](ctx context.Context, fetch FetchFunc[T], tokens []string) ([]Page[T], error) {
	var wg sync.WaitGroup
	pages := make([]Page[T], len(tokens))
	errs := make([]error, len(tokens))
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pages[i], errs[i] = fetch(ctx, tok) // ok: per-iteration i and tok (go1.22)
		}()
	}
	wg.Wait()
	return pages, errors.Join(errs...)
}

type pageResult[T any] struct {
	page Page[T]
	err  error
}

// FetchItems fetches the pages for tokens concurrently and concatenates items.
func FetchItems[T any](ctx context.Context, fetch FetchFunc[T], tokens []string) ([]T, error) {
	results := make(chan pageResult[T], len(tokens))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, tok := range tokens {
		go func() {
			p, err := fetch(ctx, tok)
			results <- pageResult[T]{p, err}
		}()
	}
	var out []T
	for range tokens {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, r.page.Items...)
	}
	return out, nil
}

// FetchItemsAll waits for every fetch before returning.
func FetchItemsAll[T any](ctx context.Context, fetch FetchFunc[T], tokens []string) ([]T, error) {
	results := make(chan pageResult[T], len(tokens))
	var wg sync.WaitGroup
	for _, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := fetch(ctx, tok)
			results <- pageResult[T]{p, err}
		}()
	}
	wg.Wait()
	close(results) // ok: every sender has finished
	var out []T
	var firstErr error
	for r := range results {
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
		out = append(out, r.page.Items...)
	}
	return out, firstErr
}

// ScanSegments runs a parallel scan split into total segments.
func ScanSegments[T any](ctx context.Context, total int, scan func(ctx context.Context, segment, total int) ([]T, error)) ([][]T, error) {
	out := make([][]T, total)
	errs := make([]error, total)
	var wg sync.WaitGroup
	var seg int
	for seg = 0; seg < total; seg++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			out[seg], errs[seg] = scan(ctx, seg, total)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// ScanSegmentsArg passes the segment number as an argument.
func ScanSegmentsArg[T any](ctx context.Context, total int, scan func(ctx context.Context, segment, total int) ([]T, error)) ([][]T, error) {
	out := make([][]T, total)
	errs := make([]error, total)
	var wg sync.WaitGroup
	var seg int
	for seg = 0; seg < total; seg++ {
		wg.Add(1)
		go func(s int) { // ok: passed as an argument
			defer wg.Done()
			out[s], errs[s] = scan(ctx, s, total)
		}(seg)
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// Cursor is the decoded form of an opaque page token.
type Cursor struct {
	Offset uint64
	Shard  string
}

// ParseCursor decodes a page token.
func ParseCursor(tok string) (Cursor, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = fmt.Errorf("paginate: malformed page token: %v", r)
		}
	}()
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return Cursor{}, err
	}
	return Cursor{Offset: binary.BigEndian.Uint64(b[:8]), Shard: string(b[8:])}, nil
}

// DecodeCursor is ParseCursor with the recovered error in a named result.
func DecodeCursor(tok string) (c Cursor, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("paginate: malformed page token: %v", r) // ok: named result
		}
	}()
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return Cursor{}, err
	}
	return Cursor{Offset: binary.BigEndian.Uint64(b[:8]), Shard: string(b[8:])}, nil
}

// EncodeCursor is the inverse of DecodeCursor.
func EncodeCursor(c Cursor) string {
	b := make([]byte, 8+len(c.Shard))
	binary.BigEndian.PutUint64(b, c.Offset)
	copy(b[8:], c.Shard)
	return base64.RawURLEncoding.EncodeToString(b)
}
